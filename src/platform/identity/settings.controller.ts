import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow } from '../access/access.decorators';
import { describeConfig, type ConfigInventoryRow } from '../config/config.loader';
import { ASSAY_CONFIG } from '../config/config.module';
import type { AssayConfig } from '../config/config.schema';

@ApiTags('config')
@ApiBearerAuth()
@Controller('config')
export class SettingsController {
  constructor(@Inject(ASSAY_CONFIG) private readonly config: AssayConfig) {}

  @Get()
  @Allow('read', 'Config')
  @ApiOkResponse({ description: 'The settings inventory, secrets masked.' })
  inventory(): { items: ConfigInventoryRow[] } {
    return { items: describeConfig(this.config) };
  }
}

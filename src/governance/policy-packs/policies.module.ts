import { Module } from '@nestjs/common';
import { PoliciesController } from './policies.controller';
import { PolicyPacksService } from './policy-packs.service';

/** Policy packs as a service: loaded and validated at start, listed over HTTP, used by promotions. */
@Module({
  controllers: [PoliciesController],
  providers: [PolicyPacksService],
  exports: [PolicyPacksService],
})
export class PoliciesModule {}

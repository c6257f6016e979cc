import { Controller, Get, Param, ParseIntPipe, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, Auth } from '../../platform/access/access.decorators';
import type { AuthContext } from '../../platform/access/auth-context';
import { BundleQueryDto } from './evidence-bundle.dto';
import { EvidenceBundleService } from './evidence-bundle.service';

/** Regulator exports of a model version. */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('models')
export class EvidenceBundleController {
  constructor(private readonly bundles: EvidenceBundleService) {}

  @Get(':id/versions/:version/bundle')
  @Allow('export', 'Model')
  @ApiProduces('application/zip')
  @ApiOkResponse({
    description:
      'The signed evidence bundle (zip): evidence records and documents, policy decisions with their pack files, ledger entries with inclusion proofs against a signed checkpoint, keys, the model signature, model card, CycloneDX ML-BOM, PROV-JSON, OpenLineage, EU AI Act Annex IV (HTML, PDF). Verify with `assay verify`.',
  })
  async bundle(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Query() query: BundleQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    const bundle = await this.bundles.export(auth, id, version, query.consistencyFrom ?? []);
    response
      .status(200)
      .set({
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="${bundle.fileName}"`,
        'Assay-Manifest-Digest': bundle.manifestDigest,
        'Cache-Control': 'no-store',
      })
      .end(Buffer.from(bundle.zip));
  }
}

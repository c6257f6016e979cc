import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export const DEFAULT_TOKEN_TTL_DAYS = 90;

export class CreateApiTokenDto {
  @ApiProperty({ example: 'ci-pipeline' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ minimum: 1, default: DEFAULT_TOKEN_TTL_DAYS, description: 'At most ASSAY_TOKEN_MAX_TTL_DAYS.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}

export class ApiTokenResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The first characters of the secret.' }) displayPrefix!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ type: String, nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastUsedAt!: string | null;
}

export class CreatedApiTokenDto extends ApiTokenResponseDto {
  @ApiProperty({ description: 'The secret. Shown once; only its hash is stored.' }) token!: string;
}

export class ApiTokenPageDto {
  @ApiProperty({ type: [ApiTokenResponseDto] }) items!: ApiTokenResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

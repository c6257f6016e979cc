import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { ROLES, type Role } from '../access/role';

export class SignInDto {
  @ApiProperty({ example: 'admin@assay.local' })
  @IsString()
  @MaxLength(320)
  email!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 256)
  password!: string;
}

export class SignedInUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
}

export class SignInResponseDto {
  @ApiProperty({ description: 'Session bearer token (assay_ses_…).' }) token!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ type: SignedInUserDto }) user!: SignedInUserDto;
}

export class MeResponseDto {
  @ApiProperty({ type: SignedInUserDto }) user!: SignedInUserDto;
  @ApiProperty({ enum: ['session', 'api_token'] }) credentialType!: 'session' | 'api_token';
  @ApiProperty({ description: 'Actions the caller may take, as CASL rules.', type: 'array', items: { type: 'object' } })
  rules!: unknown[];
}

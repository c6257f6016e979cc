import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AssayConfig } from '../config/config.schema';
import { createDataSource, databaseKind } from './data-source';
import { pendingMigrations, PendingMigrationsError } from './migrator';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: AssayConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ type: 'postgres', autoLoadEntities: true, retryAttempts: 0 }),
          dataSourceFactory: async (options) => {
            const dataSource = await (await createDataSource(config, options?.entities ?? [])).initialize();
            try {
              // Embedded mode owns its schema and migrates at start; PostgreSQL is migrated by
              // its owner (`assay migrate`), and the app refuses to run against an old schema.
              if (databaseKind(config) === 'pglite') await dataSource.runMigrations({ transaction: 'each' });
              const pending = await pendingMigrations(dataSource);
              if (pending.length > 0) throw new PendingMigrationsError(pending);
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
            return dataSource;
          },
        }),
      ],
    };
  }
}

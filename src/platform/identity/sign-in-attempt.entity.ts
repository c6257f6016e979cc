import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Failed sign-ins, counted per account and per client address for the lockout window. */
@Entity({ name: 'sign_in_failures' })
export class SignInAttempt {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'client_address', type: 'text' })
  clientAddress!: string;

  @CreateDateColumn({ name: 'attempted_at', type: 'timestamptz' })
  attemptedAt!: Date;
}

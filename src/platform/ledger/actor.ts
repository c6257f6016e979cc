/** Who caused a ledger entry: a signed-in user, or Assay itself (bootstrap, CLI, scheduled work). */
export interface Actor {
  type: 'user' | 'system';
  id: string;
}

export const systemActor = (id: 'bootstrap' | 'cli' | 'scheduler' | 'worker' | 'anonymous' | 'decision-log' | 'monitoring'): Actor => ({ type: 'system', id });
export const userActor = (userId: string): Actor => ({ type: 'user', id: userId });

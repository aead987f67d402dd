import { inputError, isStitchboardError, StitchboardError } from '../errors/errors.ts';
import type { SqlDriver, SqlExecutor } from './sql-driver.ts';
import type { Fence } from './types.ts';

/** A fenced write refused because the lease moved on: whoever made it must stop writing, not retry. */
export const isLeaseLost = (error: unknown): boolean =>
  isStitchboardError(error) && error.code === 'LEASE_LOST';

/** The fence's shape, checked before any SQL runs. */
export function validFence(fence: Fence): Fence {
  const text = (value: unknown) => typeof value === 'string' && value !== '';
  if (!text(fence.lease) || !text(fence.holder) || !Number.isSafeInteger(fence.epoch) || fence.epoch < 1) {
    throw inputError('fence must name a lease and a holder, and carry an epoch that is a whole number ≥ 1');
  }
  return fence;
}

/**
 * Inside the caller's transaction: passes when `fence` is still the lease's holder and epoch, else
 * throws LEASE_LOST (the transaction then rolls back, so the write changes nothing). The lease row
 * stays locked until commit, so a takeover cannot slip in between this check and the commit; run it
 * as the transaction's last statement, so a writer that stalls mid-transaction does not hold up a
 * takeover.
 */
export async function checkFence(
  driver: SqlDriver,
  tx: SqlExecutor,
  fence: Fence,
  operation: string,
): Promise<void> {
  const [row] = await tx.query(`SELECT holder, epoch FROM sb_leases WHERE name = ?${driver.shareLock}`, [
    fence.lease,
  ]);
  const current = row ? { holder: String(row.holder), epoch: Number(row.epoch) } : undefined;
  if (current?.holder === fence.holder && current.epoch === fence.epoch) return;
  const now = current ? `it is at epoch ${current.epoch}, held by ${current.holder}` : 'it is not held';
  throw new StitchboardError(
    'LEASE_LOST',
    `store ${operation} refused: lease "${fence.lease}" has moved on from epoch ${fence.epoch} of ${fence.holder}; ${now}`,
    {
      details: {
        operation,
        lease: fence.lease,
        holder: fence.holder,
        epoch: fence.epoch,
        ...(current && { currentHolder: current.holder, currentEpoch: current.epoch }),
      },
    },
  );
}

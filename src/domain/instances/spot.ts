/**
 * Spot (preemptible) instances: the launch options RunInstances / CreateInstance take, and when
 * the market interrupts one. ECS's rules, from the RunInstances reference:
 *  - SpotStrategy NoSpot (an ordinary pay-as-you-go instance), SpotWithPriceLimit (SpotPriceLimit,
 *    at most 3 decimals, is the hourly bid; below the current market price the launch is refused),
 *    SpotAsPriceGo (follows the market: never interrupted by price); pay-as-you-go only;
 *  - SpotDuration 0-6 hours (default 1): no interruption during that long after creation;
 *  - SpotInterruptionBehavior Terminate (release, the default) or Stop (stopped in the economical
 *    mode, StopCharging; CreateInstance takes Terminate only);
 *  - "the system sends a notice 5 minutes before the instance is reclaimed": the metadata service's
 *    `instance/spot/termination-time` and the `Recycling` lock from the notice, the reclaim at it.
 */
import { EcsError } from '../errors.js';
import { HOUR_MS } from '../spot-market.js';

export type SpotStrategy = 'NoSpot' | 'SpotWithPriceLimit' | 'SpotAsPriceGo';
export type SpotInterruptionBehavior = 'Terminate' | 'Stop';

export const SPOT_STRATEGIES: readonly SpotStrategy[] = ['NoSpot', 'SpotWithPriceLimit', 'SpotAsPriceGo'];
/** How long before the reclaim the notice is given. */
export const SPOT_NOTICE_MS = 5 * 60_000;
export const MAX_SPOT_DURATION_HOURS = 6;
export const DEFAULT_SPOT_DURATION_HOURS = 1;

export interface SpotOptions {
  strategy: SpotStrategy;
  /** The hourly bid of SpotWithPriceLimit; 0 otherwise. */
  priceLimit: number;
  /** Protected hours after creation; 0 for NoSpot. */
  duration: number;
  interruptionBehavior: SpotInterruptionBehavior;
}

export const NO_SPOT: SpotOptions = { strategy: 'NoSpot', priceLimit: 0, duration: 0, interruptionBehavior: 'Terminate' };

export interface SpotRequest {
  strategy?: string;
  priceLimit?: number;
  duration?: number;
  interruptionBehavior?: string;
  chargeType: string;
  deletionProtection: boolean;
  /** PrivatePoolOptions.MatchCriteria=Target: a private pool, which spot cannot use. */
  privatePoolTarget: boolean;
  mode: 'run' | 'create';
}

const isStrategy = (s: string): s is SpotStrategy => (SPOT_STRATEGIES as readonly string[]).includes(s);

/**
 * The spot options of a launch, or the metadata's error. `marketPrice` is the current market price
 * of the launch's zone and type (asked only for SpotWithPriceLimit).
 */
export function spotOptionsOf(r: SpotRequest, marketPrice: () => number): SpotOptions {
  const strategy = r.strategy || 'NoSpot';
  if (!isStrategy(strategy)) throw new EcsError('InvalidSpotStrategy', `The specified SpotStrategy "${strategy}" is not valid: NoSpot, SpotWithPriceLimit or SpotAsPriceGo.`);
  const behavior = r.interruptionBehavior || 'Terminate';
  if (behavior !== 'Terminate' && behavior !== 'Stop') {
    throw new EcsError('InvalidSpotInterruptionBehavior', `The specified SpotInterruptionBehavior "${behavior}" is not valid: Terminate or Stop.`);
  }
  const limit = r.priceLimit ?? 0;
  if (strategy === 'NoSpot') {
    // Spot settings without a spot strategy would be silently meaningless.
    if (limit) throw new EcsError('InvalidSpotPriceLimit', 'The specified SpotPriceLimit is not valid: it applies to SpotStrategy=SpotWithPriceLimit only.');
    if (r.duration !== undefined && r.duration !== DEFAULT_SPOT_DURATION_HOURS && r.duration !== 0) {
      throw new EcsError('InvalidSpotDuration', 'The specified SpotDuration is not valid: it applies to spot instances only.');
    }
    if (behavior !== 'Terminate') throw new EcsError('InvalidSpotInterruptionBehavior', 'The specified SpotInterruptionBehavior applies to spot instances only.');
    return NO_SPOT;
  }
  if (r.chargeType === 'PrePaid') throw new EcsError('InvalidSpotPrepaid', 'The specified Spot type is not support PrePay Instance.');
  if (r.privatePoolTarget) throw new EcsError('SpotNotSupported', 'Spot is not supported for PrivatePool.');
  if (r.deletionProtection) {
    throw new EcsError('InvalidChargeType.ValueNotSupported', 'Deletion protection is only valid for postPaid instance, not for prePaid or spot instance.', 403);
  }
  if (r.mode === 'create' && behavior !== 'Terminate') {
    throw new EcsError('InvalidSpotInterruptionBehavior', 'CreateInstance supports SpotInterruptionBehavior=Terminate only.');
  }
  const duration = r.duration ?? DEFAULT_SPOT_DURATION_HOURS;
  if (!Number.isInteger(duration) || duration < 0 || duration > MAX_SPOT_DURATION_HOURS) {
    throw new EcsError('InvalidSpotDuration', `The specified SpotDuration is not valid: an integer from 0 to ${MAX_SPOT_DURATION_HOURS}.`);
  }
  if (strategy === 'SpotAsPriceGo') {
    if (limit) throw new EcsError('InvalidSpotPriceLimit', 'The specified SpotPriceLimit is not valid: SpotAsPriceGo follows the market price.');
    return { strategy, priceLimit: 0, duration, interruptionBehavior: behavior };
  }
  if (!(limit > 0) || Math.abs(limit * 1000 - Math.round(limit * 1000)) > 1e-6) {
    throw new EcsError('InvalidSpotPriceLimit', 'The specified SpotPriceLimit is not valid: SpotWithPriceLimit needs an hourly price above 0 with at most 3 decimals.');
  }
  const market = marketPrice();
  if (limit < market) {
    throw new EcsError('InvalidSpotPriceLimit.LowerThanPublicPrice', `The specified parameter "spotPriceLimit" can't be lower than current public price (${market}).`);
  }
  return { strategy, priceLimit: limit, duration, interruptionBehavior: behavior };
}

export interface SpotState {
  strategy: string;
  priceLimit: number;
  duration: number;
  createdAt: number;
  /** The termination time of a notice under way; null: none. */
  terminationAt: number | null;
}

/** Until when the market leaves the instance alone (SpotDuration). */
export const protectedUntil = (s: Pick<SpotState, 'duration' | 'createdAt'>) => s.createdAt + s.duration * HOUR_MS;

export type SpotStep = { kind: 'none' } | { kind: 'notice'; terminationAt: number } | { kind: 'reclaim' };

/**
 * What the engine does with a running spot instance at `now`, the market at `marketPrice`: reclaim
 * at a notice's termination time; give a notice (reclaim in 5 minutes) when a price-limited bid
 * is below the market after the protected hours; otherwise nothing.
 */
export function spotStep(s: SpotState, marketPrice: () => number, now: number): SpotStep {
  if (s.strategy === 'NoSpot') return { kind: 'none' };
  if (s.terminationAt !== null) return now >= s.terminationAt ? { kind: 'reclaim' } : { kind: 'none' };
  if (s.strategy !== 'SpotWithPriceLimit' || now < protectedUntil(s)) return { kind: 'none' };
  return marketPrice() > s.priceLimit ? { kind: 'notice', terminationAt: now + SPOT_NOTICE_MS } : { kind: 'none' };
}

import mongoose from 'mongoose';

/**
 * Operator objects that our own code builds. `sanitizeFilter` (connect.ts) turns every
 * `{$…}` object in a filter into a literal value, so request data can never inject an
 * operator; repositories mark the operators they mean with these helpers.
 */
export function anyOf<T>(values: readonly T[]): { $in: T[] } {
  return mongoose.trusted({ $in: [...values] });
}

export function greaterThan<T>(value: T): { $gt: T } {
  return mongoose.trusted({ $gt: value });
}

export function lessThan<T>(value: T): { $lt: T } {
  return mongoose.trusted({ $lt: value });
}

/** Matches documents where the field is set. */
export function present(): { $exists: true } {
  return mongoose.trusted({ $exists: true as const });
}

/** Anything but `true`, a missing field included (a flag older documents lack). */
export function notTrue(): { $ne: true } {
  return mongoose.trusted({ $ne: true as const });
}

// Public surface of the pure scheduling core: interval algebra, calendar/zone arithmetic, schedules, availability, slots.
// Nothing here does I/O; callers pass instants as epoch milliseconds and get half-open intervals back.
export * from './intervals';
export * from './calendar';
export * from './schedule';
export * from './availability';
export * from './slots';

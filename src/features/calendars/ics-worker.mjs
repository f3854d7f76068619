// Worker-thread entry for reading a feed (see parse-feed.ts): loads TypeScript as the main
// thread does, then runs ics-thread.ts.
import { register } from 'tsx/esm/api';

register();
await import('./ics-thread.ts');

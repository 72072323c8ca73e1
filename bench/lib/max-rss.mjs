// Preloaded (node --import) into a child the bench measures: at exit, prints the process's peak
// resident set size (getrusage ru_maxrss, all threads) on stderr as one marker line.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nzkos-bench-max-rss-kib ${process.resourceUsage().maxRSS}\n`);
});

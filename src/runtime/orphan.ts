// `npm start` runs `sh -c "tsx src/runtime/node.ts"`, and tsx runs this file in a child node
// process. Stopping npm by its pid alone (a process manager, `kill PID`) ends npm and the shell
// but not tsx, which never hears of it: the service would run on, orphaned. So the service
// watches the chain that started it and stops itself (cleanly) once its launcher is gone.
import { readFileSync } from 'node:fs';

function parentOf(pid: number): number | undefined {
  try {
    // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // not Linux, or gone
  }
}

function commandLine(pid: number | undefined): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/**
 * Under `npm start` (this process's parent is tsx's CLI, and its parent the `sh -c` of an npm
 * script), calls `onOrphaned` once when that shell is gone. A service started any other way
 * (systemd, a container, `node bin/xiansuo.js serve`, nohup) is left alone.
 */
export function watchLauncher(onOrphaned: (why: string) => void, intervalMs = 1000): () => void {
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  const underNpm = commandLine(parent).some((a) => /tsx/.test(a)) && /(^|\/)sh$/.test(commandLine(grandparent)[0] ?? '') && commandLine(grandparent)[1] === '-c';
  if (!underNpm || grandparent === undefined) return () => {};
  const timer = setInterval(() => {
    let why: string | undefined;
    if (parentOf(parent) !== grandparent) why = `启动它的 npm start（进程 ${grandparent}）已退出`;
    if (!why) return;
    clearInterval(timer);
    onOrphaned(why);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

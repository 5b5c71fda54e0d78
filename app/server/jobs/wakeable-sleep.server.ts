/**
 * The pause of a polling loop that a wake-up ends early: the job workers, the queue watch and the
 * mail senders sleep between their looks and are woken when work is announced (a send from this
 * process, a job's end, a stop). A wake-up while nobody sleeps is kept, so the loop's next sleep
 * returns at once: work announced while the loop was busy is looked at without waiting a whole
 * interval.
 */
export interface WakeableSleep {
  sleep(ms: number): Promise<void>;
  wake(): void;
}

export function wakeableSleep(): WakeableSleep {
  let kept = false;
  let end: (() => void) | null = null;
  return {
    sleep(ms) {
      if (kept) {
        kept = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          if (end === finish) end = null;
          resolve();
        };
        const timer = setTimeout(finish, ms);
        end = finish;
      });
    },
    wake() {
      if (end) end();
      else kept = true;
    },
  };
}

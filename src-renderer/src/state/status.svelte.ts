/** The status line (a live region): what just happened, or what went wrong. */
export type StatusKind = 'info' | 'error';

export class StatusState {
  message = $state('');
  kind = $state<StatusKind>('info');
  #serial = 0;

  show(message: string, kind: StatusKind = 'info'): void {
    this.message = message;
    this.kind = kind;
    const serial = ++this.#serial;
    if (kind === 'info') {
      setTimeout(() => {
        if (this.#serial === serial) this.message = '';
      }, 6000);
    }
  }

  clear(): void {
    this.message = '';
  }
}

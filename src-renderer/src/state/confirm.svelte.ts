/**
 * In-app confirmation (not window.confirm, so that it is styled, keyboard friendly and
 * drivable by tests). ask() resolves true when the user confirms; choose() tells a third
 * button apart; prompt() asks for a line of text.
 */
export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  cancelLabel: string;
  danger?: boolean;
  /** A third button, between cancel and confirm (choose() answers 'alternative'). */
  alternativeLabel?: string;
  /** A text field (prompt()): its label, first value, and a check giving a message or null. */
  input?: {
    label: string;
    value: string;
    maxLength?: number;
    check?: (v: string) => string | null;
  };
}

export type ConfirmAnswer = 'confirm' | 'alternative' | 'cancel';

export class ConfirmState {
  request = $state<ConfirmRequest | null>(null);
  /** The text field's value while a prompt is open. */
  value = $state('');
  /** Why the text cannot be taken (shown under the field), or ''. */
  problem = $state('');
  #resolve: ((answer: ConfirmAnswer) => void) | null = null;

  ask(request: ConfirmRequest): Promise<boolean> {
    return this.choose(request).then((a) => a === 'confirm');
  }

  choose(request: ConfirmRequest): Promise<ConfirmAnswer> {
    this.#resolve?.('cancel');
    this.request = request;
    this.value = request.input?.value ?? '';
    this.problem = '';
    return new Promise((resolve) => (this.#resolve = resolve));
  }

  /** The trimmed text, or null when cancelled. */
  async prompt(request: ConfirmRequest & { input: NonNullable<ConfirmRequest['input']> }) {
    const answer = await this.choose(request);
    return answer === 'confirm' ? this.#taken : null;
  }
  #taken = '';

  answer(ok: boolean | ConfirmAnswer): void {
    const answer: ConfirmAnswer = ok === true ? 'confirm' : ok === false ? 'cancel' : ok;
    if (answer === 'confirm' && this.request?.input) {
      const text = this.value.trim();
      const problem = this.request.input.check?.(text) ?? null;
      if (problem) {
        this.problem = problem;
        return;
      }
      this.#taken = text;
    }
    const resolve = this.#resolve;
    this.#resolve = null;
    this.request = null;
    resolve?.(answer);
  }
}

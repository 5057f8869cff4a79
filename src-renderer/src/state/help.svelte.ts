/** Which glossary entry the help dialog shows (null: closed; 'all': the list from the top). */
import type { GlossaryId } from '@shared/glossary';

export class HelpState {
  open = $state<GlossaryId | 'all' | null>(null);

  show(id: GlossaryId | 'all' = 'all'): void {
    this.open = id;
  }
  close(): void {
    this.open = null;
  }
}

export const help = new HelpState();

/** Follows the system colour scheme (prefers-color-scheme); charts read their colours here. */
export class ThemeState {
  dark = $state(false);

  constructor() {
    if (typeof window === 'undefined' || !window.matchMedia) return;
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    this.dark = query.matches;
    query.addEventListener('change', (e) => (this.dark = e.matches));
  }

  get colors() {
    return this.dark
      ? { text: '#d6dbe3', grid: 'rgba(214,219,227,0.12)', optimal: '#5eb0ff', muted: '#8b95a5' }
      : { text: '#2a2f38', grid: 'rgba(42,47,56,0.10)', optimal: '#0b63ce', muted: '#6b7480' };
  }
}

/** Series colours for the strategies, readable on both backgrounds. */
export const STRATEGY_COLORS: Record<string, string> = {
  optimal: '#1f77d0',
  naive: '#8a8f98',
  aggressive: '#e0672b',
  conservative: '#2f9e62',
  vwap: '#9b59b6',
};

/** The window's one theme (it follows the system, so there is only ever one). */
export const theme = new ThemeState();

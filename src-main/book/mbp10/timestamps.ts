/**
 * The ts_event field of a CSV row, parsed straight from the bytes: ISO-8601 with `T` or
 * space, optional fraction (up to 9 digits) and `Z` or ±HH:MM / ±HHMM / ±HH offset (none =
 * UTC); or integer nanoseconds since the epoch. Surrounding quotes are tolerated.
 */
import { digits } from './numbers';

/** Parses timestamps into `sec` / `ns` (no allocation per row); remembers the file's format. */
export class TimestampParser {
  /** The last timestamp parsed: whole seconds since the epoch (UTC) and nanoseconds. */
  sec = 0;
  ns = 0;
  /** The file's format, from its first valid timestamp: 0 unknown, 1 ISO, 2 nanoseconds. */
  mode: 0 | 1 | 2 = 0;

  /** Parse a timestamp field into sec / ns; false when unparsable. */
  parse(buf: Uint8Array, s: number, e: number): boolean {
    if (buf[s] === 34 && e - s >= 2 && buf[e - 1] === 34) {
      s++;
      e--;
    }
    if (e - s < 1) return false;
    // Integer nanoseconds: all digits.
    if (e - s >= 10 && e - s <= 20 && !(buf[s + 4] === 45)) {
      let sec = 0;
      let ns = 0;
      const split = e - 9;
      for (let i = s; i < e; i++) {
        const d = buf[i] - 48;
        if (d < 0 || d > 9) return false;
        if (i < split) sec = sec * 10 + d;
        else ns = ns * 10 + d;
      }
      this.sec = sec;
      this.ns = ns;
      if (this.mode === 0) this.mode = 2;
      return true;
    }
    return this.parseIso(buf, s, e);
  }

  /** The first 16 bytes (YYYY-MM-DD HH:MM) of the last valid ISO timestamp and their
   *  seconds: rows of the same minute skip re-parsing and re-checking them. */
  private readonly minuteBytes = new Uint8Array(16);
  private minuteSec = NaN;

  private parseIso(buf: Uint8Array, s: number, e: number): boolean {
    // YYYY-MM-DD[T ]HH:MM:SS
    if (e - s < 19) return false;
    const mb = this.minuteBytes;
    let same = this.minuteSec === this.minuteSec;
    for (let k = 0; same && k < 16; k++) same = buf[s + k] === mb[k];
    if (same) {
      const se = digits(buf, s + 17, 2);
      if (buf[s + 16] !== 58 || se < 0 || se > 60) return false;
      return this.isoTail(buf, s, e, this.minuteSec + se);
    }
    const y = digits(buf, s, 4);
    const mo = digits(buf, s + 5, 2);
    const d = digits(buf, s + 8, 2);
    const h = digits(buf, s + 11, 2);
    const mi = digits(buf, s + 14, 2);
    const se = digits(buf, s + 17, 2);
    if (
      buf[s + 4] !== 45 ||
      buf[s + 7] !== 45 ||
      (buf[s + 10] !== 84 && buf[s + 10] !== 32) ||
      buf[s + 13] !== 58 ||
      buf[s + 16] !== 58 ||
      y < 0 ||
      mo < 1 ||
      mo > 12 ||
      d < 1 ||
      d > 31 ||
      h < 0 ||
      h > 23 ||
      mi < 0 ||
      mi > 59 ||
      se < 0 ||
      se > 60
    )
      return false;
    const minute = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60;
    mb.set(buf.subarray(s, s + 16));
    this.minuteSec = minute;
    return this.isoTail(buf, s, e, minute + se);
  }

  /** After YYYY-MM-DD[T ]HH:MM:SS (`sec`: its seconds since the epoch as written): the
   *  optional fraction and offset. */
  private isoTail(buf: Uint8Array, s: number, e: number, sec: number): boolean {
    let i = s + 19;
    let ns = 0;
    if (i < e && buf[i] === 46) {
      i++;
      let k = 0;
      while (i < e && buf[i] >= 48 && buf[i] <= 57) {
        if (k < 9) {
          ns = ns * 10 + (buf[i] - 48);
          k++;
        }
        i++;
      }
      if (k === 0) return false;
      for (; k < 9; k++) ns *= 10;
    }
    let offsetSec = 0;
    if (i < e) {
      const c = buf[i];
      if (c === 90 && i + 1 === e) {
        i++;
      } else if (c === 43 || c === 45) {
        const oh = digits(buf, i + 1, 2);
        // ±HH, ±HH:MM or ±HHMM
        let om: number;
        if (i + 3 === e) om = 0;
        else if (buf[i + 3] === 58 && i + 6 === e) om = digits(buf, i + 4, 2);
        else if (i + 5 === e) om = digits(buf, i + 3, 2);
        else return false;
        if (oh < 0 || om < 0 || oh > 23 || om > 59) return false;
        offsetSec = (c === 43 ? 1 : -1) * (oh * 3600 + om * 60);
        i = e;
      } else return false;
    }
    if (i !== e) return false;
    this.sec = sec - offsetSec;
    this.ns = ns;
    if (this.mode === 0) this.mode = 1;
    return true;
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

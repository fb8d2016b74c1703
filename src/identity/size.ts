/**
 * UMKM size class per PP No. 7 Tahun 2021, article 35.
 *
 * The regulation sets two sets of criteria:
 *  - business capital (modal usaha), excluding the land and buildings of the
 *    business premises (art. 35(3)), used when the business is set up:
 *      micro  <= Rp 1 billion, small <= Rp 5 billion, medium <= Rp 10 billion;
 *  - annual sales (hasil penjualan tahunan) (art. 35(5)), for businesses
 *    without capital figures (e.g. already running when registering):
 *      micro  <= Rp 2 billion, small <= Rp 15 billion, medium <= Rp 50 billion.
 * Anything above the medium ceiling is a large business.
 *
 * Rule implemented here: when the capital is known, it alone decides;
 * otherwise the annual sales decide; with neither, the result is null.
 * Amounts are integer rupiah; each bound is inclusive (exactly Rp 1,000,000,000
 * of capital is still micro).
 */

export type SizeClass = 'micro' | 'small' | 'medium' | 'large';

export interface SizeInput {
  /** Business capital in rupiah, excluding land and buildings. */
  capital?: number | null;
  /** Annual sales (omzet) in rupiah. */
  annualRevenue?: number | null;
}

const BILLION = 1_000_000_000;

/** Inclusive upper bounds for micro, small and medium. */
export const CAPITAL_LIMITS = Object.freeze({ micro: 1 * BILLION, small: 5 * BILLION, medium: 10 * BILLION });
export const ANNUAL_SALES_LIMITS = Object.freeze({
  micro: 2 * BILLION,
  small: 15 * BILLION,
  medium: 50 * BILLION,
});

function classify(amount: number, limits: { micro: number; small: number; medium: number }): SizeClass {
  if (amount <= limits.micro) return 'micro';
  if (amount <= limits.small) return 'small';
  if (amount <= limits.medium) return 'medium';
  return 'large';
}

function checkAmount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer amount of rupiah, got ${value}`);
  }
}

/**
 * The size class from capital (preferred) or annual sales; null when both are
 * missing. Throws RangeError for negative, fractional or non-finite amounts.
 */
export function sizeClass(input: SizeInput): SizeClass | null {
  const { capital, annualRevenue } = input;
  if (capital !== undefined && capital !== null) {
    checkAmount('capital', capital);
    return classify(capital, CAPITAL_LIMITS);
  }
  if (annualRevenue !== undefined && annualRevenue !== null) {
    checkAmount('annualRevenue', annualRevenue);
    return classify(annualRevenue, ANNUAL_SALES_LIMITS);
  }
  return null;
}

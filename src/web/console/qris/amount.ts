/** Digits with at most two decimals, not zero (what the API accepts for ?amount=). */
export function validAmount(s: string): boolean {
  return /^\d{1,13}(\.\d{1,2})?$/.test(s) && Number(s) > 0;
}

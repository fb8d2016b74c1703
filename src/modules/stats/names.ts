/** The sectors' names in the figures (the dashboard labels them from its own texts; the API answers carry these). */
export const SECTOR_NAMES: Record<string, { id: string; en: string }> = {
  kuliner: { id: 'Kuliner', en: 'Culinary' },
  fashion: { id: 'Fesyen', en: 'Fashion' },
  kriya: { id: 'Kriya', en: 'Craft' },
  jasa: { id: 'Jasa', en: 'Services' },
  perdagangan: { id: 'Perdagangan', en: 'Trade' },
  budidaya: { id: 'Budidaya', en: 'Farming' },
  lainnya: { id: 'Lainnya', en: 'Other' },
};

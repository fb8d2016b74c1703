import { z } from 'zod';

/** Request schemas of the QRIS endpoints (the payload itself is checked by the codec, not here). */
export const idParam = z.object({ id: z.string().max(60) });

export const qrisPayloadInput = z.object({ payload: z.string().min(1).max(1024) }).strict();

export const qrisVerifyInput = z
  .object({
    /** the profile version the confirmer looked at; a newer one is refused (409) */
    version: z.number().int().min(1).optional(),
    note: z.string().max(1000).nullish(),
  })
  .strict();

/** Amount in rupiah for a dynamic code: digits, optionally with up to two decimals. */
export const amountParam = z
  .string()
  .regex(/^\d{1,13}(\.\d{1,2})?$/, 'digits, optionally with up to two decimals')
  .refine((v) => v.length <= 13, 'at most 13 characters');

export const imageQuery = z.object({
  amount: amountParam.optional(),
  /** approximate width in pixels (PNG), 64-4096; default 8 pixels per module */
  size: z.coerce.number().int().min(64).max(4096).optional(),
});

export const posterQuery = z.object({ amount: amountParam.optional() });

export const notificationsQuery = z.object({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const notificationParam = z.object({ nid: z.uuid() });

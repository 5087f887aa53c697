/**
 * Where a daily-spend alert goes besides the monitor's own `alert` event (which the
 * extension turns into a VS Code notification): a Slack-compatible webhook and an e-mail
 * through the user's SMTP server. Failures are reported to the caller, never thrown into
 * the proxy's request path.
 */
import { z } from 'zod';
import type { CurrentCosts } from '../../protocol/cost';
import { EngineError } from '../../protocol/errors';

export interface CostAlert {
  day: string;
  threshold: number;
  totalCost: number;
  costs: CurrentCosts;
}

export const SmtpConfigSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    user: z.string().optional(),
    pass: z.string().optional(),
    from: z.string().min(3),
    to: z.union([z.string().min(3), z.array(z.string().min(3)).min(1)]),
    /** Accept self-signed certificates (a local relay). */
    allowSelfSigned: z.boolean().optional(),
  })
  .strict();
export type SmtpConfig = z.input<typeof SmtpConfigSchema>;

export function alertText(alert: CostAlert): string {
  const models = Object.entries(alert.costs.byModel)
    .sort((a, b) => b[1].cost - a[1].cost)
    .map(([model, spend]) => `${model}: $${spend.cost.toFixed(4)} (${spend.requests} requests)`)
    .join('; ');
  const unknown = alert.costs.unknownCostRequests ?? 0;
  // A request of unknown cost (cut, unpriced, unmetered) is not $0: say that the total is a lower bound.
  const lowerBound = unknown > 0 ? ` (at least: ${unknown} request${unknown === 1 ? '' : 's'} of unknown cost not included)` : '';
  return `PepperPy cost alert: spend on ${alert.day} (UTC) is $${alert.totalCost.toFixed(4)}${lowerBound}, above the daily threshold of $${alert.threshold.toFixed(2)}. ${models}`;
}

/** Posts `{ text }` (what Slack incoming webhooks and most chat tools accept) plus the figures. */
export async function sendWebhook(url: string, alert: CostAlert, fetchImpl: typeof fetch = fetch): Promise<void> {
  const response = await fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: alertText(alert), day: alert.day, threshold: alert.threshold, totalCost: alert.totalCost, unknownCostRequests: alert.costs.unknownCostRequests ?? 0, byModel: alert.costs.byModel }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new EngineError('engineUnavailable', `The alert webhook answered HTTP ${response.status}.`, 'Check the webhook URL.');
}

export async function sendEmail(raw: SmtpConfig, alert: CostAlert): Promise<void> {
  const config = SmtpConfigSchema.parse(raw);
  const nodemailer = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.user ? { auth: { user: config.user, pass: config.pass ?? '' } } : {}),
    ...(config.allowSelfSigned ? { tls: { rejectUnauthorized: false } } : {}),
    connectionTimeout: 10_000,
  });
  try {
    await transport.sendMail({
      from: config.from,
      to: config.to,
      subject: `PepperPy cost alert: $${alert.totalCost.toFixed(2)} on ${alert.day}`,
      text: `${alertText(alert)}\n\nLedger: ${alert.costs.ledger}\n`,
    });
  } finally {
    transport.close();
  }
}

/** Outgoing webhooks on incident changes. README § Notifications describes the behaviour. */
export { notifyCycle, drainNotifications, closeNotifiers, getNotifier, indicatorFromIncidents } from './notify-cycle.ts';
export type { NotifyCycleInput, NotifyCycleResult } from './notify-cycle.ts';
export { diffIncidents, eventIdFor } from './diff.ts';
export { renderBody, renderPayload } from './render.ts';
export { Notifier, sendWebhook } from './deliver.ts';
export type { DrainSummary, EnqueueSummary } from './deliver.ts';
export { NotifyError, NotificationEventSchema, OutboxSchema, DeliveryLogLineSchema } from './types.ts';
export type { NotificationEvent, Outbox, OutboxEntry, DeliveryLogLine } from './types.ts';

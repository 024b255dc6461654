-- A rotated webhook secret stays valid until previous_secret_until: until then every call carries
-- a signature by each secret (Standard Webhooks allows several, space-separated), so a receiver
-- can move to the new one at its own pace.
alter table journeys add column previous_webhook_secret text;
alter table journeys add column previous_secret_until timestamptz;

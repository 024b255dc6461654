-- Every table carries company_id and every key starts with it, so the schema can later be
-- distributed by company (company_id is the distribution column everywhere but companies).

create table companies (
    id          uuid primary key,
    name        text not null,
    created_at  timestamptz not null
);

-- Looked up by token hash before the company is known: on a distributed cluster this table is a
-- reference table (small, replicated), so the lookup by hash alone stays local.
create table api_keys (
    company_id    uuid not null references companies (id),
    id            uuid not null,
    name          text not null,
    token_prefix  text not null,
    token_hash    bytea not null,
    created_at    timestamptz not null,
    revoked_at    timestamptz,
    primary key (company_id, id),
    unique (company_id, token_hash)
);
create index api_keys_token_hash on api_keys (token_hash);
create index api_keys_id on api_keys (id);

create table contacts (
    company_id     uuid not null references companies (id),
    id             uuid not null,
    email_address  text not null,
    first_name     text,
    last_name      text,
    status         text not null check (status in ('active', 'inactive')),
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    primary key (company_id, id),
    unique (company_id, email_address)
);
create index contacts_page on contacts (company_id, created_at, id);

create table lists (
    company_id     uuid not null references companies (id),
    id             uuid not null,
    name           text not null,
    email_address  text not null,
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    primary key (company_id, id)
);
-- Deliberately not unique: the enroll endpoint reports duplicate list emails itself.
create index lists_email on lists (company_id, email_address);
create index lists_page on lists (company_id, created_at, id);

create table list_members (
    company_id  uuid not null,
    list_id     uuid not null,
    contact_id  uuid not null,
    added_at    timestamptz not null,
    primary key (company_id, list_id, contact_id),
    foreign key (company_id, list_id) references lists (company_id, id) on delete cascade,
    foreign key (company_id, contact_id) references contacts (company_id, id) on delete cascade
);
create index list_members_contact on list_members (company_id, contact_id);

create table journeys (
    company_id  uuid not null references companies (id),
    id          uuid not null,
    name        text not null,
    state       text not null check (state in ('draft', 'on', 'off', 'archived')),
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    primary key (company_id, id)
);
create index journeys_page on journeys (company_id, created_at, id);

-- Ready for a step runner: status, source and the three timestamps, plus who created the row.
create table enrollments (
    company_id    uuid not null,
    id            uuid not null,
    journey_id    uuid not null,
    contact_id    uuid not null,
    status        text not null check (status in ('active', 'completed', 'exited')),
    source        text not null check (source in ('contact', 'list', 'import')),
    list_id       uuid,
    api_key_id    uuid,
    request_id    text,
    enrolled_at   timestamptz not null,
    completed_at  timestamptz,
    exited_at     timestamptz,
    primary key (company_id, id),
    foreign key (company_id, journey_id) references journeys (company_id, id),
    foreign key (company_id, contact_id) references contacts (company_id, id) on delete cascade,
    check (status <> 'completed' or completed_at is not null),
    check (status <> 'exited' or exited_at is not null),
    check (list_id is null or source = 'list')
);
-- At most one active enrollment per contact and journey; the arbiter of enroll's ON CONFLICT.
create unique index enrollments_one_active
    on enrollments (company_id, journey_id, contact_id) where status = 'active';
-- The 12-hour re-entry check reads the latest completion per contact.
create index enrollments_completed
    on enrollments (company_id, journey_id, contact_id, completed_at) where status = 'completed';
create index enrollments_page
    on enrollments (company_id, journey_id, enrolled_at desc, id);
create index enrollments_contact on enrollments (company_id, contact_id);

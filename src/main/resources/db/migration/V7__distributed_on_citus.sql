-- On a database with the citus extension, the schema is distributed by company; on plain
-- PostgreSQL this migration does nothing.
--   - companies and api_keys become reference tables (replicated to every node): api_keys is read
--     by token hash before the company is known;
--   - every tenant table is distributed by company_id, all colocated, so one company's rows of
--     every table live in the same shard group and a request that names one company runs on
--     one node;
--   - rate_limit_buckets is distributed by its own id ('<company>:<key>'), as Bucket4j reads it.
-- Citus turns a plain table that a reference table's foreign keys reach into a "citus local"
-- table, which may then not reference a distributed one; so the foreign keys are dropped, the
-- tables distributed, and the same keys added back. Run on an existing database with rows, the
-- same steps copy the rows into the shards (see README, "Running on Citus").
do $$
begin
    if not exists (select 1 from pg_extension where extname = 'citus') then
        return;
    end if;
    -- the foreign keys are added back in the same transaction as the distribution
    set local citus.multi_shard_modify_mode to 'sequential';

    alter table api_keys drop constraint api_keys_company_id_fkey;
    alter table contacts drop constraint contacts_company_id_fkey;
    alter table lists drop constraint lists_company_id_fkey;
    alter table journeys drop constraint journeys_company_id_fkey;
    alter table idempotency_keys drop constraint idempotency_keys_company_id_fkey;
    alter table list_members drop constraint list_members_company_id_list_id_fkey;
    alter table list_members drop constraint list_members_company_id_contact_id_fkey;

    perform create_reference_table('companies');
    perform create_reference_table('api_keys');
    perform create_distributed_table('contacts', 'company_id');
    perform create_distributed_table('lists', 'company_id', colocate_with => 'contacts');
    perform create_distributed_table('list_members', 'company_id', colocate_with => 'contacts');
    perform create_distributed_table('journeys', 'company_id', colocate_with => 'contacts');
    perform create_distributed_table('enrollments', 'company_id', colocate_with => 'contacts');
    perform create_distributed_table('idempotency_keys', 'company_id', colocate_with => 'contacts');
    perform create_distributed_table('rate_limit_buckets', 'id');

    alter table api_keys add constraint api_keys_company_id_fkey
        foreign key (company_id) references companies (id);
    alter table contacts add constraint contacts_company_id_fkey
        foreign key (company_id) references companies (id);
    alter table lists add constraint lists_company_id_fkey
        foreign key (company_id) references companies (id);
    alter table journeys add constraint journeys_company_id_fkey
        foreign key (company_id) references companies (id);
    alter table idempotency_keys add constraint idempotency_keys_company_id_fkey
        foreign key (company_id) references companies (id);
    alter table list_members add constraint list_members_company_id_list_id_fkey
        foreign key (company_id, list_id) references lists (company_id, id) on delete cascade;
    alter table list_members add constraint list_members_company_id_contact_id_fkey
        foreign key (company_id, contact_id) references contacts (company_id, id) on delete cascade;
end
$$;

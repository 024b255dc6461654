-- Its own migration: on Citus, a function created in the transaction that altered distributed
-- tables (V13) fails ("a parallel operation on a distributed table in the transaction").
-- An ISO-8601 time with an offset, as Java's OffsetDateTime.parse reads it, or null: conditions
-- comparing times (gt, gte, lt, lte) read attribute and property values through it, and a value
-- that is no such time never matches and never fails the statement.
create function journeys_instant(value text) returns timestamptz
language plpgsql immutable strict parallel safe as $$
begin
    if value !~* '^[0-9]{4}-[0-9]{2}-[0-9]{2}t([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?(z|[+-][0-9]{2}:[0-5][0-9](:[0-5][0-9])?)$' then
        return null;
    end if;
    return value::timestamptz;
exception when others then
    return null;
end
$$;

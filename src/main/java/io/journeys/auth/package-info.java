/**
 * Who is calling: company API keys (created, listed, revoked, stored only as hashes) and
 * the security chain that admits {@code /v1} callers by key and {@code /admin} callers by
 * the admin token.
 */
@NullMarked
package io.journeys.auth;

import org.jspecify.annotations.NullMarked;

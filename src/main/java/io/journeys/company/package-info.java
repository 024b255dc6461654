/**
 * Companies, the tenants of the service, and the admin API that creates them and their
 * keys.
 */
@NullMarked
package io.journeys.company;

import org.jspecify.annotations.NullMarked;

/**
 * Request bodies as records: the body read as strict JSON (valid Unicode, no
 * compression), bound field by field with every wrong type reported, then checked with
 * Jakarta Validation.
 */
@NullMarked
package io.journeys.validation;

import org.jspecify.annotations.NullMarked;

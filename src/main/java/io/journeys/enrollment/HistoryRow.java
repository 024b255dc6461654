package io.journeys.enrollment;

import java.time.Instant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.journeys.contact.Emails;
import io.journeys.validation.ValidationErrors;
import org.jspecify.annotations.Nullable;

record HistoryRow(@NotBlank @Size(max = Emails.MAX_SENT) String emailAddress, @NotNull Instant enrolledAt,
		@Nullable Instant completedAt, @Nullable Instant exitedAt) {

	HistoryRow normalized() {
		return new HistoryRow(Emails.normalize(this.emailAddress), this.enrolledAt, this.completedAt, this.exitedAt);
	}

	void check(Instant now, String prefix, ValidationErrors errors) {
		if (this.enrolledAt.isAfter(now)) {
			errors.add(prefix + "enrolled_at", "can't be in the future");
		}
		if (this.completedAt != null && this.exitedAt != null) {
			errors.add(prefix + "base", "can't have both completed_at and exited_at");
		}
		checkEnd("completed_at", this.completedAt, now, prefix, errors);
		checkEnd("exited_at", this.exitedAt, now, prefix, errors);
	}

	private void checkEnd(String field, @Nullable Instant end, Instant now, String prefix, ValidationErrors errors) {
		if (end == null) {
			return;
		}
		if (end.isAfter(now)) {
			errors.add(prefix + field, "can't be in the future");
		}
		if (end.isBefore(this.enrolledAt)) {
			errors.add(prefix + field, "can't be before enrolled_at");
		}
	}

}

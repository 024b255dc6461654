package io.journeys.journey;

import java.util.ArrayList;
import java.util.List;

import io.journeys.condition.Condition.Subject;
import io.journeys.condition.Conditions;
import io.journeys.validation.Messages;
import io.journeys.validation.ValidationErrors;
import org.jspecify.annotations.Nullable;

/**
 * The fields of the steps that decide, as {@link Steps#check} checks them: a branch's
 * cases (each a condition on the contact's attributes and the step it leads to) and a
 * split's weighted paths. Errors are named from {@code prefix}, as the step's others are.
 */
final class DecisionChecks {

	static final int MAX_CASES = 20;

	static final int MAX_PATHS = 10;

	static final int MAX_WEIGHT = 100;

	private DecisionChecks() {
	}

	static @Nullable List<Step.Case> cases(@Nullable List<Steps.CaseInput> cases, String prefix,
			ValidationErrors errors) {
		if (cases == null || cases.isEmpty()) {
			errors.add(prefix + "cases", Messages.BLANK);
			return null;
		}
		if (cases.size() > MAX_CASES) {
			errors.add(prefix + "cases", "has too many cases (maximum is " + MAX_CASES + ")");
			return null;
		}
		List<Step.Case> checked = new ArrayList<>();
		for (int i = 0; i < cases.size(); i++) {
			Steps.CaseInput input = cases.get(i);
			String at = prefix + "cases[" + i + "].";
			if (input == null) {
				errors.add(prefix + "cases[" + i + "]", Messages.BLANK);
				continue;
			}
			Conditions.parse(input.when(), at + "when", Subject.ATTRIBUTE, errors);
			if (input.next() == null || input.next().isBlank()) {
				errors.add(at + "next", Messages.BLANK);
			}
			checked.add(new Step.Case(input.when(), input.next()));
		}
		return checked;
	}

	static @Nullable List<Step.Path> paths(@Nullable List<Steps.PathInput> paths, String prefix,
			ValidationErrors errors) {
		if (paths == null || paths.isEmpty()) {
			errors.add(prefix + "paths", Messages.BLANK);
			return null;
		}
		if (paths.size() < 2 || paths.size() > MAX_PATHS) {
			errors.add(prefix + "paths", "must have 2 to " + MAX_PATHS + " paths");
			return null;
		}
		List<Step.Path> checked = new ArrayList<>();
		for (int i = 0; i < paths.size(); i++) {
			Steps.PathInput input = paths.get(i);
			String at = prefix + "paths[" + i + "].";
			if (input == null) {
				errors.add(prefix + "paths[" + i + "]", Messages.BLANK);
				continue;
			}
			if (input.weight() == null) {
				errors.add(at + "weight", Messages.BLANK);
			}
			else if (input.weight() < 1 || input.weight() > MAX_WEIGHT) {
				errors.add(at + "weight", "must be from 1 to " + MAX_WEIGHT);
			}
			if (input.next() == null || input.next().isBlank()) {
				errors.add(at + "next", Messages.BLANK);
			}
			checked.add(new Step.Path(input.weight() == null ? 0 : input.weight(), input.next()));
		}
		return checked;
	}

}

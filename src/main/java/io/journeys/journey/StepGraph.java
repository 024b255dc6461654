package io.journeys.journey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.journeys.validation.ValidationErrors;
import org.jspecify.annotations.Nullable;

/**
 * The steps read as a graph from the first one: every {@code next} names a step or
 * {@code end}, no path comes back to a step it passed, and every step is on a path.
 */
final class StepGraph {

	private static final int UNSEEN = 0;

	private static final int ON_PATH = 1;

	private static final int DONE = 2;

	private StepGraph() {
	}

	/** An edge: the field that makes it, and the index it leads to (-1: the end). */
	private record Edge(String field, int to) {
	}

	static void check(List<Step> steps, ValidationErrors errors) {
		Map<String, Integer> index = new HashMap<>();
		for (int i = 0; i < steps.size(); i++) {
			index.put(steps.get(i).id(), i);
		}
		List<List<Edge>> edges = new ArrayList<>();
		boolean known = true;
		for (int i = 0; i < steps.size(); i++) {
			Step step = steps.get(i);
			List<Edge> out = new ArrayList<>();
			List<String> fields = fields(step);
			List<String> ways = step.ways();
			for (int way = 0; way < ways.size(); way++) {
				known &= edge(out, fields.get(way), ways.get(way), i, steps.size(), index, errors);
			}
			edges.add(out);
		}
		if (!known || steps.isEmpty()) {
			return;
		}
		int[] state = new int[steps.size()];
		visit(0, edges, state, errors);
		for (int i = 0; i < steps.size(); i++) {
			if (state[i] == UNSEEN) {
				errors.add("steps[" + i + "]", "is not reached by any path from the first step");
			}
		}
	}

	/** The field of each of {@link Step#ways()}. */
	private static List<String> fields(Step step) {
		List<String> fields = new ArrayList<>();
		if (step.isBranch()) {
			for (int i = 0; i < step.cases().size(); i++) {
				fields.add("cases[" + i + "].next");
			}
			fields.add("otherwise");
		}
		else if (step.isSplit()) {
			for (int i = 0; i < step.paths().size(); i++) {
				fields.add("paths[" + i + "].next");
			}
		}
		else {
			fields.add("next");
			fields.add("timeout_next");
		}
		return fields;
	}

	private static boolean edge(List<Edge> out, String field, @Nullable String next, int at, int size,
			Map<String, Integer> index, ValidationErrors errors) {
		if (next == null) {
			out.add(new Edge(field, at + 1 < size ? at + 1 : -1));
			return true;
		}
		if (next.equals(Step.END)) {
			out.add(new Edge(field, -1));
			return true;
		}
		Integer to = index.get(next);
		if (to == null) {
			errors.add("steps[" + at + "]." + field, "does not name a step of this journey");
			return false;
		}
		out.add(new Edge(field, to));
		return true;
	}

	private static void visit(int at, List<List<Edge>> edges, int[] state, ValidationErrors errors) {
		state[at] = ON_PATH;
		for (Edge edge : edges.get(at)) {
			if (edge.to() < 0) {
				continue;
			}
			if (state[edge.to()] == ON_PATH) {
				errors.add("steps[" + at + "]." + edge.field(), "makes a cycle");
			}
			else if (state[edge.to()] == UNSEEN) {
				visit(edge.to(), edges, state, errors);
			}
		}
		state[at] = DONE;
	}

}

package io.journeys.list;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class ListDirectory {

	private final ListRepository lists;

	ListDirectory(ListRepository lists) {
		this.lists = lists;
	}

	/**
	 * In request order; the first email that names no list or several throws
	 * {@link ListNotFound} or {@link DuplicateListEmail}, as the contract has it.
	 */
	@Transactional(readOnly = true)
	public List<UUID> resolve(UUID companyId, List<String> emails) {
		if (emails.isEmpty()) {
			return List.of();
		}
		Map<String, ListMatch> matches = this.lists.match(companyId, emails)
			.stream()
			.collect(Collectors.toMap(ListMatch::emailAddress, Function.identity()));
		List<UUID> ids = new ArrayList<>(emails.size());
		for (String email : emails) {
			ListMatch match = matches.get(email);
			if (match == null) {
				throw new ListNotFound(email);
			}
			if (match.count() > 1) {
				throw new DuplicateListEmail(email, match.count());
			}
			ids.add(match.firstId());
		}
		return ids;
	}

}

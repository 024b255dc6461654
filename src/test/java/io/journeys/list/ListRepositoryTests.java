package io.journeys.list;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.journeys.support.RepositoryTest;
import io.journeys.support.Rows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ListRepository}'s statements on PostgreSQL: members are added and removed by
 * email among the company's own contacts, list emails are matched within the company, and
 * a list is locked only under its own company.
 */
@RepositoryTest
class ListRepositoryTests {

	private static final Instant NOW = Instant.parse("2031-05-06T07:08:09.123Z");

	@Autowired
	ListRepository lists;

	@Autowired
	JdbcClient jdbc;

	Rows rows;

	UUID company;

	UUID other;

	@BeforeEach
	void companies() {
		this.rows = new Rows(this.jdbc);
		this.company = this.rows.company();
		this.other = this.rows.company();
	}

	@Test
	void membersAreAddedFromTheCompanysContactsAndTheOthersReported() {
		UUID list = this.lists.save(new MailingList(this.company, "L", "team@example.com", NOW)).id();
		this.rows.contact(this.company, "a@example.com");
		this.rows.contact(this.company, "b@example.com");
		this.rows.contact(this.other, "theirs@example.com");

		MembersChange.Added added = this.lists.addMembers(this.company, list,
				List.of("b@example.com", "a@example.com", "theirs@example.com", "z@example.com", "z@example.com"), NOW);

		assertThat(added).isEqualTo(new MembersChange.Added(2, List.of("theirs@example.com", "z@example.com")));
		assertThat(this.lists.membershipsCount(this.company, list)).isEqualTo(2);
		assertThat(this.lists.addMembers(this.company, list, List.of("a@example.com"), NOW).addedCount())
			.as("a member added again")
			.isZero();
	}

	@Test
	void removingMembersTakesTheNamedOnesOfThatListOnly() {
		UUID list = this.lists.save(new MailingList(this.company, "L", "team@example.com", NOW)).id();
		UUID second = this.lists.save(new MailingList(this.company, "M", "all@example.com", NOW)).id();
		UUID theirs = this.lists.save(new MailingList(this.other, "L", "team@example.com", NOW)).id();
		this.rows.contact(this.company, "a@example.com");
		this.rows.contact(this.company, "b@example.com");
		this.rows.contact(this.other, "a@example.com");
		List<String> both = List.of("a@example.com", "b@example.com");
		this.lists.addMembers(this.company, list, both, NOW);
		this.lists.addMembers(this.company, second, both, NOW);
		this.lists.addMembers(this.other, theirs, both, NOW);

		assertThat(this.lists.removeMembers(this.company, list, List.of("a@example.com", "x@example.com")))
			.isEqualTo(1);

		assertThat(this.lists.membershipsCount(this.company, list)).isEqualTo(1);
		assertThat(this.lists.membershipsCount(this.company, second)).isEqualTo(2);
		assertThat(this.lists.membershipsCount(this.other, theirs)).isEqualTo(1);
	}

	@Test
	void listEmailsMatchTheCompanysListsWithTheOldestFirst() {
		UUID first = this.lists.save(new MailingList(this.company, "A", "team@example.com", NOW)).id();
		this.lists.save(new MailingList(this.company, "B", "team@example.com", NOW.plusSeconds(1)));
		UUID single = this.lists.save(new MailingList(this.company, "C", "one@example.com", NOW)).id();
		this.lists.save(new MailingList(this.other, "D", "team@example.com", NOW.minusSeconds(60)));

		List<ListMatch> matches = this.lists.match(this.company,
				List.of("team@example.com", "one@example.com", "none@example.com"));

		assertThat(matches).containsExactlyInAnyOrder(new ListMatch("team@example.com", 2, first),
				new ListMatch("one@example.com", 1, single));
	}

	@Test
	void aListIsLockedUnderItsOwnCompanyOnly() {
		UUID list = this.lists.save(new MailingList(this.company, "L", "team@example.com", NOW)).id();

		assertThat(this.lists.lockForMembers(this.company, list)).contains(list);
		assertThat(this.lists.lockForMembers(this.other, list)).isEmpty();
		assertThat(this.lists.findByCompanyIdAndId(this.other, list)).isEmpty();
	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	static class Repository {

	}

}

package io.journeys.company;

import java.time.Clock;
import java.util.UUID;

import io.journeys.persistence.Ids;
import io.journeys.web.NotFound;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class CompanyService {

	private final CompanyRepository companies;

	private final Clock clock;

	CompanyService(CompanyRepository companies, Clock clock) {
		this.companies = companies;
		this.clock = clock;
	}

	@Transactional
	public CompanyView create(String name) {
		Company company = new Company(name, this.clock.instant());
		return this.companies.save(company).view();
	}

	@Transactional(readOnly = true)
	public CompanyView get(String id) {
		return Ids.parse(id)
			.flatMap(this.companies::findById)
			.map(Company::view)
			.orElseThrow(() -> new NotFound("Company"));
	}

	@Transactional(readOnly = true)
	public UUID existing(String id) {
		return get(id).id();
	}

}

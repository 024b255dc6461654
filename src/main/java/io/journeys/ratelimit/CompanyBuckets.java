package io.journeys.ratelimit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.bucket4j.BucketExceptions.BucketExecutionException;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.AbstractSelectForUpdateBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.LockAndGetResult;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.SelectForUpdateBasedTransaction;
import io.github.bucket4j.distributed.remote.RemoteBucketState;

/** Bucket4j's select-for-update store, every statement naming the company for Citus. */
public final class CompanyBuckets extends AbstractSelectForUpdateBasedProxyManager<CompanyBuckets.Key> {

	/** {@code id}: the key and its policy. */
	public record Key(UUID companyId, String id) {
	}

	private static final String LOCK = """
			select state from rate_limit_buckets where company_id = ? and id = ? for update""";

	private static final String CREATE = """
			insert into rate_limit_buckets (company_id, id, state, expires_at) values (?, ?, null, null)
			on conflict (company_id, id) do nothing""";

	private static final String SAVE = """
			update rate_limit_buckets set state = ?, expires_at = ? where company_id = ? and id = ?""";

	private static final String REMOVE = "delete from rate_limit_buckets where company_id = ? and id = ?";

	private final DataSource dataSource;

	private final ExpirationAfterWriteStrategy expiration;

	public CompanyBuckets(DataSource dataSource, ClientSideConfig config) {
		super(config);
		this.dataSource = dataSource;
		this.expiration = config.getExpirationAfterWriteStrategy().orElse(ExpirationAfterWriteStrategy.none());
	}

	@Override
	public boolean isExpireAfterWriteSupported() {
		return true;
	}

	@Override
	public void removeProxy(Key key) {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement remove = connection.prepareStatement(REMOVE)) {
			bind(remove, 1, key);
			remove.executeUpdate();
		}
		catch (SQLException ex) {
			throw new BucketExecutionException(ex);
		}
	}

	@Override
	protected SelectForUpdateBasedTransaction allocateTransaction(Key key, Optional<Long> timeoutNanos) {
		Connection connection;
		try {
			connection = this.dataSource.getConnection();
		}
		catch (SQLException ex) {
			throw new BucketExecutionException(ex);
		}
		return new Transaction(connection, key);
	}

	private static void bind(PreparedStatement statement, int first, Key key) throws SQLException {
		statement.setObject(first, key.companyId());
		statement.setString(first + 1, key.id());
	}

	private final class Transaction implements SelectForUpdateBasedTransaction {

		private final Connection connection;

		private final Key key;

		Transaction(Connection connection, Key key) {
			this.connection = connection;
			this.key = key;
		}

		@Override
		public void begin(Optional<Long> timeoutNanos) {
			run(() -> this.connection.setAutoCommit(false));
		}

		@Override
		public void rollback() {
			run(this.connection::rollback);
		}

		@Override
		public void commit(Optional<Long> timeoutNanos) {
			run(this.connection::commit);
		}

		@Override
		public LockAndGetResult tryLockAndGet(Optional<Long> timeoutNanos) {
			try (PreparedStatement lock = this.connection.prepareStatement(LOCK)) {
				applyTimeout(lock, timeoutNanos);
				bind(lock, 1, this.key);
				try (ResultSet rs = lock.executeQuery()) {
					return rs.next() ? LockAndGetResult.locked(rs.getBytes(1)) : LockAndGetResult.notLocked();
				}
			}
			catch (SQLException ex) {
				throw new BucketExecutionException(ex);
			}
		}

		@Override
		public boolean tryInsertEmptyData(Optional<Long> timeoutNanos) {
			try (PreparedStatement create = this.connection.prepareStatement(CREATE)) {
				applyTimeout(create, timeoutNanos);
				bind(create, 1, this.key);
				return create.executeUpdate() > 0;
			}
			catch (SQLException ex) {
				throw new BucketExecutionException(ex);
			}
		}

		@Override
		public void update(byte[] data, RemoteBucketState state, Optional<Long> timeoutNanos) {
			try (PreparedStatement save = this.connection.prepareStatement(SAVE)) {
				applyTimeout(save, timeoutNanos);
				long nowNanos = currentTimeNanos();
				save.setBytes(1, data);
				save.setLong(2, nowNanos / 1_000_000
						+ CompanyBuckets.this.expiration.calculateTimeToLiveMillis(state, nowNanos));
				bind(save, 3, this.key);
				save.executeUpdate();
			}
			catch (SQLException ex) {
				throw new BucketExecutionException(ex);
			}
		}

		@Override
		public void release() {
			run(this.connection::close);
		}

		private void run(SqlAction action) {
			try {
				action.run();
			}
			catch (SQLException ex) {
				throw new BucketExecutionException(ex);
			}
		}

	}

	@FunctionalInterface
	private interface SqlAction {

		void run() throws SQLException;

	}

}

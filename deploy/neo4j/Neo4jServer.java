// Minimal Neo4j 5.26 Community server for local development and CI.
//
// Runs an embedded DatabaseManagementService with the Bolt connector on 127.0.0.1:7687,
// auth disabled and no HTTP connector. Started by deploy/services.sh with Java's
// single-file source launcher, so nothing needs to be compiled ahead of time:
//
//   java -Xmx1g -cp '.cache/neo4j/lib/*' deploy/neo4j/Neo4jServer.java .run/neo4j
//
// Optional system properties: -Dneo4j.bolt.host=127.0.0.1 -Dneo4j.bolt.port=7687
//                             -Dneo4j.pagecache.mib=256 -Dneo4j.tx.timeout.s=60
//
// It prints "NEO4J READY bolt://HOST:PORT" only after a first `RETURN 1` went through
// the embedded API; services.sh waits for that line (and for a Bolt handshake).
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

public class Neo4jServer {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Neo4jServer <homeDir>");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(home);
        String host = System.getProperty("neo4j.bolt.host", "127.0.0.1");
        int port = Integer.getInteger("neo4j.bolt.port", 7687);
        long pageCacheMiB = Long.getLong("neo4j.pagecache.mib", 256L);
        long txTimeoutS = Long.getLong("neo4j.tx.timeout.s", 60L);

        long t0 = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheMiB * 1024L * 1024L)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(txTimeoutS))
                // Do not preallocate 256 MiB transaction-log files per database (saves ~0.5 GB of disk).
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Transaction logs kept after a checkpoint: ~1 GiB per database, not the default 2 days
                // (a benchmark run writes ~0.7 GB of them; a day of runs filled ~5 GB). The store
                // is durable without them; they serve only incremental backups, not used here.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "1G size")
                // No "anonymous usage data" phone-home (dbms.usage_report.enabled).
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Internal settings (default 5 s each): makes SIGTERM -> exit take ~2 s instead of ~10 s.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("NEO4J STOPPING");
            System.out.flush();
            try {
                dbms.shutdown();
            } catch (Throwable t) {
                t.printStackTrace();
            } finally {
                stopped.countDown();
                System.out.println("NEO4J STOPPED");
                System.out.flush();
            }
        }, "neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        Object one = db.executeTransactionally("RETURN 1 AS one", java.util.Map.of(),
                r -> r.next().get("one"));
        if (!Long.valueOf(1L).equals(one)) {
            System.err.println("NEO4J FAILED: RETURN 1 gave " + one);
            System.exit(1);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000L;
        System.out.println("NEO4J READY bolt://" + host + ":" + port + " home=" + home + " startup_ms=" + ms);
        System.out.flush();
        stopped.await();
    }
}

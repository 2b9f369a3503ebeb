package samverkan;

import java.nio.file.Path;
import java.util.Map;

import org.neo4j.cli.ExecutionContext;
import org.neo4j.importer.ImportCommand;
import picocli.CommandLine;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Neo4j Community in this JVM, Bolt on 127.0.0.1 only, authentication on.
 *
 * Usage: Neo4jLauncher DATA_DIR PORT PASSWORD. Prints "READY bolt://127.0.0.1:PORT" once the
 * server accepts connections and runs until the process is stopped.
 *
 * With the system property samverkan.import=DIR, the database is first replaced by DIR's
 * nodes.csv and relationships.csv through Neo4j's offline bulk import (what `neo4j-admin database
 * import full` runs), in this process before the server starts: the fast way to fill it.
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    /** The page cache: the system property samverkan.pagecache ("256m", "2g"), 256 MiB if not set. */
    private static long pageCache() {
        String size = System.getProperty("samverkan.pagecache", "256m");
        return ByteUnit.parse(size);
    }

    private static void bulkImport(Path home, Path dir) {
        ExecutionContext context = new ExecutionContext(home, home.resolve("conf"));
        int code = new CommandLine(new ImportCommand.Full(context)).execute(
                "neo4j",
                "--overwrite-destination=true",
                "--multiline-fields=true",
                "--array-delimiter=\u001f",
                "--report-file=" + home.resolve("import-report.txt"),
                "--nodes=" + dir.resolve("nodes.csv"),
                "--relationships=" + dir.resolve("relationships.csv"));
        if (code != 0) {
            System.err.println("FAILED the import of " + dir + " (exit code " + code + ")");
            System.exit(1);
        }
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: Neo4jLauncher DATA_DIR PORT PASSWORD");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String password = args[2];
        String importDir = System.getProperty("samverkan.import");
        if (importDir != null) {
            bulkImport(home, Path.of(importDir));
        }
        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache())
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown));
        try {
            service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String message = String.valueOf(cause.getMessage());
            if (!message.contains("cannot be the same")) { // a restart on kept data: already set
                System.err.println("FAILED " + message);
                System.exit(1);
            }
        }
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

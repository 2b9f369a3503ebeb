package samverkan;

import java.nio.file.Path;
import java.util.Arrays;

import org.neo4j.cli.ExecutionContext;
import org.neo4j.importer.ImportCommand;
import picocli.CommandLine;

/**
 * Neo4j's offline bulk import (what `neo4j-admin database import full` runs) into the data
 * directory of a stopped Neo4jLauncher server: the fast way to fill an empty database.
 *
 * Usage: Neo4jImport DATA_DIR IMPORT-OPTIONS... (as neo4j-admin's, the database name last).
 */
public final class Neo4jImport {
    private Neo4jImport() {}

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: Neo4jImport DATA_DIR IMPORT-OPTIONS...");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        ExecutionContext context = new ExecutionContext(home, home.resolve("conf"));
        int code = new CommandLine(new ImportCommand.Full(context)).execute(Arrays.copyOfRange(args, 1, args.length));
        System.exit(code);
    }
}

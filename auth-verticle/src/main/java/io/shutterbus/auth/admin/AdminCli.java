package io.shutterbus.auth.admin;

import io.shutterbus.auth.db.RoleRepository;
import io.shutterbus.auth.db.RoleRepository.Change;
import io.shutterbus.auth.db.RoleRepository.Grant;
import io.shutterbus.auth.domain.Roles;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code admin}: the only way to make an account an administrator, and to stop it being one. Each
 * grant and revoke is one transaction with its row in {@code auth.role_changes} (who, what, when,
 * which operator) and a line on stdout. Works against the embedded platform's database unless
 * {@code PG_HOST} (and the other {@code PG_*} variables) name another. Exit codes: 0 done (also
 * when nothing had to change), 2 bad usage, 3 database unreachable or not set up, 4 no such account.
 */
@Command(name = "admin", mixinStandardHelpOptions = true, version = "shutterbus admin 0.1",
    description = "Grant, revoke and list the admin role of Shutterbus accounts.",
    subcommands = {AdminCli.GrantCommand.class, AdminCli.RevokeCommand.class, AdminCli.ListCommand.class})
public final class AdminCli implements Callable<Integer> {
  static final int UNREACHABLE = 3;
  static final int NO_SUCH_ACCOUNT = 4;
  private static final String EMBEDDED_SUPERUSER = "postgres";  // embedded PostgreSQL trusts loopback

  @Option(names = "--by", paramLabel = "NAME", description = "operator recorded with the change (default: user@host)")
  String operator;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private Env env;
  private PrintWriter out;
  private PrintWriter err;

  @Override
  public Integer call() {
    spec.commandLine().usage(err);
    return CommandLine.ExitCode.USAGE;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(Env.system(), out, err, args));
  }

  public static int run(Env env, PrintWriter out, PrintWriter err, String... args) {
    AdminCli cli = new AdminCli();
    cli.env = env;
    cli.out = out;
    cli.err = err;
    CommandLine cmd = new CommandLine(cli).setOut(out).setErr(err);
    cmd.setExecutionExceptionHandler((ex, line, parse) -> {
      err.println("admin: " + describe(ex, env));
      return UNREACHABLE;
    });
    int code = cmd.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The PG_* settings when PG_HOST is set, else the embedded platform's database on this machine. */
  static PgSettings database(Env env) {
    if (env.has("PG_HOST")) {
      return PgSettings.fromEnv(env);
    }
    return new PgSettings("127.0.0.1", env.port("EMBEDDED_PG_PORT", 15432), "shutterbus", EMBEDDED_SUPERUSER, "",
        1, 3000);
  }

  private static String describe(Throwable ex, Env env) {
    String where = database(env).address();
    if (ex instanceof PgException pg && "42P01".equals(pg.getSqlState())) {
      return "the auth schema is not set up at " + where + " yet: start Shutterbus once first";
    }
    return "cannot reach the database at " + where + " (" + ex.getMessage() + "); is Shutterbus running?"
        + " Set PG_HOST, PG_PORT, PG_USER, PG_PASSWORD for an external one";
  }

  private String operator() {
    if (operator != null && !operator.isBlank()) {
      return operator.trim();
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "localhost";
    }
    return System.getProperty("user.name", "unknown") + "@" + host;
  }

  private <T> T withRoles(Function<RoleRepository, Future<T>> work) throws Exception {
    Vertx vertx = Vertx.vertx();
    Pool pool = PgPools.create(vertx, database(env), "admin-cli", 1);
    try {
      return work.apply(new RoleRepository(pool)).await(30, TimeUnit.SECONDS);
    } finally {
      pool.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private int changed(Change change, String email, String done, String already) {
    switch (change) {
      case CHANGED -> out.println(done + " (by " + operator() + ")");
      case UNCHANGED -> out.println(already);
      default -> {
        err.println("admin: no account with the e-mail address " + email + " (it must register first)");
        return NO_SUCH_ACCOUNT;
      }
    }
    return 0;
  }

  @Command(name = "grant", description = "Make the account with this e-mail address an administrator.")
  static final class GrantCommand implements Callable<Integer> {
    @ParentCommand
    AdminCli cli;
    @Parameters(index = "0", paramLabel = "E-MAIL")
    String email;

    @Override
    public Integer call() throws Exception {
      Change change = cli.withRoles(roles -> roles.grant(email, Roles.ADMIN, cli.operator()));
      return cli.changed(change, email, "granted admin to " + email, email + " is already an administrator");
    }
  }

  @Command(name = "revoke", description = "Take the admin role from the account with this e-mail address.")
  static final class RevokeCommand implements Callable<Integer> {
    @ParentCommand
    AdminCli cli;
    @Parameters(index = "0", paramLabel = "E-MAIL")
    String email;

    @Override
    public Integer call() throws Exception {
      Change change = cli.withRoles(roles -> roles.revoke(email, Roles.ADMIN, cli.operator()));
      return cli.changed(change, email, "revoked admin from " + email + "; it ends with the current access token"
          + " (at most AUTH_ACCESS_TOKEN_TTL_SECONDS)", email + " is not an administrator");
    }
  }

  @Command(name = "list", description = "List the administrators: e-mail, since when, granted by whom.")
  static final class ListCommand implements Callable<Integer> {
    @ParentCommand
    AdminCli cli;

    @Override
    public Integer call() throws Exception {
      List<Grant> grants = cli.withRoles(RoleRepository::list);
      for (Grant g : grants) {
        cli.out.println(g.email() + "\t" + g.role() + "\t" + g.grantedAt() + "\t" + g.grantedBy());
      }
      if (grants.isEmpty()) {
        cli.out.println("no administrators; grant one with: bin/admin grant <e-mail>");
      }
      return 0;
    }
  }
}

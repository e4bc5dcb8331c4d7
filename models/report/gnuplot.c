/* gnuplot.c - gnuplot as a child process: fork and execvp with an argument vector (no
 * shell ever sees a file name), stderr to a log file (a pipe could fill and block a
 * child while the parent waits on another), the images renamed into place only when
 * gnuplot succeeded. */
#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "names.h"
#include "signals.h"

/* Asked before a run with plots on (cmd_plots_possible), so a missing gnuplot is told
 * before an hour of simulation, not after it. */
int gnuplot_available(void)
{
	const char *path = getenv("PATH");
	char buf[4200];
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		if (len && len < 4000) {
			snprintf(buf, sizeof buf, "%.*s/gnuplot", (int)len, path);
			if (access(buf, X_OK) == 0)
				return 1;
		}
		path += len + (path[len] == ':');
	}
	return 0;
}

int gnuplot_start(const char *pdir, const char *name, gnuplot_job *j, char *msg, size_t msglen)
{
	char outvar[128], script[64];
	snprintf(j->name, sizeof j->name, "%s", name);
	snprintf(outvar, sizeof outvar, "out='.%s.tmp.%ld'", name, (long)getpid());
	snprintf(script, sizeof script, "%s.gp", name);
	snprintf(j->log, sizeof j->log, "%s/.%s.tmp.%ld.log", pdir, name, (long)getpid());
	/* an argument vector, never a shell command: no name from a scenario is ever
	 * parsed by a shell; the output name is a temporary, renamed once gnuplot is done */
	char *argv[] = {"gnuplot", "-e", outvar, script, NULL};
	if (signals_pending()) {
		snprintf(msg, msglen, "interrupted");
		j->pid = -1;
		return -1;
	}
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	int log = open(j->log, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (devnull < 0 || log < 0) {
		snprintf(msg, msglen, "cannot start gnuplot: %s", strerror(errno));
		goto fail;
	}
	fflush(NULL); /* or the child's copy of unwritten buffers could be written twice */
	pid_t parent = getpid();
	j->pid = fork();
	if (j->pid == 0) {
		/* In the child only async-signal-safe calls until exec: the parent may have
		 * had threads (the replication runner). Its own process group keeps the
		 * terminal's Ctrl-C away from it: fgsim decides when gnuplot stops. */
		setpgid(0, 0);
		/* Killed with fgsim even by SIGKILL, so that it never writes into a staging
		 * folder the next run is removing. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(126);
		if (chdir(pdir) || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(log, 2) < 0)
			_exit(126);
		execvp(argv[0], argv);
		static const char nf[] = "gnuplot: cannot run it (is gnuplot installed?)\n";
		ssize_t ignored = write(2, nf, sizeof nf - 1);
		(void)ignored;
		_exit(127);
	}
	if (j->pid < 0) {
		snprintf(msg, msglen, "cannot start gnuplot: %s", strerror(errno));
		goto fail;
	}
	setpgid(j->pid, j->pid); /* as the child does: whichever runs first */
	signals_add_child(j->pid);
	close(devnull);
	close(log);
	return 0;
fail:
	if (devnull >= 0)
		close(devnull);
	if (log >= 0)
		close(log);
	unlink(j->log);
	j->pid = -1;
	return -1;
}

int gnuplot_finish(const char *pdir, gnuplot_job *j, char *msg, size_t msglen)
{
	static const char *const ext[2] = {"png", "svg"};
	char tmp[2][4400], final[2][4400], tail[512] = "";
	int status;
	for (int k = 0; k < 2; k++) {
		snprintf(tmp[k], sizeof tmp[k], "%s/.%s.tmp.%ld.%s", pdir, j->name, (long)getpid(), ext[k]);
		snprintf(final[k], sizeof final[k], "%s/%s.%s", pdir, j->name, ext[k]);
	}
	FG_ASSERT(j->pid > 0); /* only a started job is finished: waitpid(-1) would reap any child */
	/* A signal interrupts the wait (no SA_RESTART): gnuplot is stopped, then reaped. */
	while (waitpid(j->pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = -1;
			break;
		} else if (signals_pending()) {
			kill(-j->pid, SIGTERM);
		}
	signals_remove_child(j->pid);
	int ok = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && !signals_pending();
	if (signals_pending())
		snprintf(tail, sizeof tail, "interrupted");
	/* gnuplot's exit status 0 does not prove it drew: an empty file is a failure */
	for (int e = 0; ok && e < 2; e++) {
		int fd = open(tmp[e], O_RDONLY | O_CLOEXEC);
		struct stat st;
		ok = fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0 && fsync(fd) == 0;
		if (fd >= 0)
			close(fd);
		if (!ok)
			snprintf(tail, sizeof tail, "gnuplot made no %s", ext[e]);
	}
	for (int e = 0; ok && e < 2; e++)
		if (rename(tmp[e], final[e])) {
			snprintf(tail, sizeof tail, "%.300s: %s", final[e], strerror(errno));
			ok = 0;
		}
	if (!ok && !tail[0]) {
		/* gnuplot's error is the last line it printed */
		FILE *f = fopen(j->log, "r");
		char line[512];
		while (f && fgets(line, sizeof line, f))
			if (line[strspn(line, " \t\r\n")])
				snprintf(tail, sizeof tail, "%s", line);
		if (f)
			fclose(f);
		tail[strcspn(tail, "\r\n")] = 0;
		if (!tail[0] && status != -1 && WIFSIGNALED(status))
			snprintf(tail, sizeof tail, "gnuplot was killed by signal %d", WTERMSIG(status));
	}
	unlink(j->log);
	if (ok)
		return 0;
	/* the images of an older run would pass for this one's: better none */
	for (int e = 0; e < 2; e++) {
		unlink(tmp[e]);
		unlink(final[e]);
	}
	snprintf(msg, msglen, "%s", tail[0] ? tail : "gnuplot failed");
	return -1;
}

void gnuplot_string(FILE *f, const char *s)
{
	/* Single quotes: gnuplot expands `command` and @macro inside double quotes, and
	 * reads backslash escapes there, but takes a single-quoted string as written, with ''
	 * for a quote (checked with gnuplot 5.4). A line break would end the command, and
	 * bytes that are not UTF-8 would make the SVG invalid XML: controls are dropped,
	 * broken UTF-8 becomes U+FFFD. */
	fputc('\'', f);
	while (*s) {
		unsigned cp = 0;
		size_t n = names_utf8_next(s, &cp);
		if (!n) {
			fputs("\xEF\xBF\xBD", f);
			n = 1;
		} else if (cp == '\'') {
			fputs("''", f);
		} else if (!names_is_control(cp)) {
			fwrite(s, 1, n, f);
		}
		s += n;
	}
	fputc('\'', f);
}

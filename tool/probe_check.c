// SPDX-License-Identifier: GPL-2.0
/*
 * One probe on a non-blocking socket: connect, and for HTTP send the GET
 * and read the status line. The caller owns the waiting (epoll, timeout).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "probe.h"

/*
 * Probes close with an RST (linger 0): thousands of probes a second must
 * not leave thousands of TIME_WAIT sockets behind on the prober.
 */
static void close_fd(struct probe_run *r)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	probe_syn_forget(r);
	if (r->fd >= 0) {
		setsockopt(r->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(r->fd);
	}
	r->fd = -1;
	r->phase = PROBE_IDLE;
}

static int finish(struct probe_run *r, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int finish(struct probe_run *r, bool ok, const char *fmt, ...)
{
	va_list ap;

	r->ok = ok;
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
	close_fd(r);
	return 1;
}

static int connected(struct probe_run *r, const struct probe_spec *spec)
{
	if (spec->type != VIPFWD_PROBE_HTTP)
		return finish(r, true, "connected");
	r->phase = PROBE_SENDING;
	r->off = 0;
	return probe_step(r, spec);
}

int probe_start(struct probe_run *r, const struct probe_spec *spec,
		const struct vip_addr *addr)
{
	struct sockaddr_storage ss;
	socklen_t slen;
	char host[VIP_ADDRSTRLEN + 2];
	int n;

	memset(&ss, 0, sizeof(ss));
	r->fd = -1;
	r->phase = PROBE_IDLE;
	r->detail[0] = '\0';
	r->syn = NULL;
	if (addr->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(spec->port);
		sin->sin_addr = addr->u.v4;
		slen = sizeof(*sin);
		vip_addr_str(addr, host);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		char a[VIP_ADDRSTRLEN];

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(spec->port);
		sin6->sin6_addr = addr->u.v6;
		slen = sizeof(*sin6);
		snprintf(host, sizeof(host), "[%s]", vip_addr_str(addr, a));
	}
	if (spec->type == VIPFWD_PROBE_HTTP) {
		n = probe_http_request(r->buf, sizeof(r->buf), spec->path,
				       host);
		if (n < 0)
			return finish(r, false, "request too long");
		r->len = (size_t)n;
	}

	r->fd = socket(ss.ss_family,
		       SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (r->fd < 0) {
		/* Our own shortage (fds, memory) says nothing about the
		 * backend: no verdict, the caller retries.
		 */
		snprintf(r->detail, sizeof(r->detail), "socket: %s",
			 strerror(errno));
		return -1;
	}
	if (connect(r->fd, (struct sockaddr *)&ss, slen) == 0)
		return connected(r, spec);
	if (errno != EINPROGRESS)
		return finish(r, false, "connect: %s", strerror(errno));
	r->phase = PROBE_CONNECTING;
	return 0;
}

uint32_t probe_events(const struct probe_run *r)
{
	switch (r->phase) {
	case PROBE_CONNECTING:
	case PROBE_SENDING:
		return EPOLLOUT;
	case PROBE_READING:
		return EPOLLIN | EPOLLRDHUP;
	default:
		return 0;
	}
}

/* The status line is complete once a newline is in, or the peer closed. */
static int read_head(struct probe_run *r, const struct probe_spec *spec)
{
	for (;;) {
		char *eol;
		ssize_t n;
		int code;

		n = recv(r->fd, r->buf + r->len, sizeof(r->buf) - 1 - r->len,
			 0);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				return 0;
			return finish(r, false, "recv: %s", strerror(errno));
		}
		r->len += (size_t)n;
		r->buf[r->len] = '\0';
		eol = memchr(r->buf, '\n', r->len);
		if (!eol && n > 0 && r->len < sizeof(r->buf) - 1)
			continue;
		if (!eol && !r->len)
			return finish(r, false, "connection closed without a reply");
		code = probe_http_status(r->buf,
					 eol ? (size_t)(eol - r->buf) : r->len);
		if (code < 0)
			return finish(r, false, "not an HTTP status line");
		if (probe_http_expect_match(spec->expect, code))
			return finish(r, true, "HTTP %d", code);
		return finish(r, false, "HTTP %d not in %s", code,
			      spec->expect[0] ? spec->expect :
			      PROBE_HTTP_EXPECT_DEFAULT);
	}
}

int probe_step(struct probe_run *r, const struct probe_spec *spec)
{
	int err = 0;
	socklen_t elen = sizeof(err);
	ssize_t n;

	switch (r->phase) {
	case PROBE_CONNECTING:
		if (getsockopt(r->fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
			err = errno;
		if (err == EINPROGRESS || err == EALREADY)
			return 0;
		if (err)
			return finish(r, false, "connect: %s", strerror(err));
		return connected(r, spec);
	case PROBE_SENDING:
		while (r->off < r->len) {
			n = send(r->fd, r->buf + r->off, r->len - r->off,
				 MSG_NOSIGNAL);
			if (n < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK ||
				    errno == EINTR)
					return 0;
				return finish(r, false, "send: %s",
					      strerror(errno));
			}
			r->off += (size_t)n;
		}
		r->phase = PROBE_READING;
		r->len = 0;
		return read_head(r, spec);
	case PROBE_READING:
		return read_head(r, spec);
	default:
		return 1;
	}
}

void probe_timeout(struct probe_run *r)
{
	const char *what = r->phase == PROBE_CONNECTING ||
			   r->phase == PROBE_SYN_SENT ? "connect" : "reply";

	finish(r, false, "timeout waiting for %s", what);
}

void probe_abort(struct probe_run *r)
{
	close_fd(r);
}

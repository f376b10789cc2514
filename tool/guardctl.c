// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>

#include "fetch.h"
#include "guardctl.h"
#include "lib/json.h"

/* "vipctl: " + msg, control characters shown as '?'. */
static void say(const char *prefix, const char *msg)
{
	const unsigned char *p;

	fputs("vipctl: ", stderr);
	fputs(prefix, stderr);
	for (p = (const unsigned char *)msg; *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, stderr);
	fputc('\n', stderr);
}

#define GUARD_LOCK_FILE "/run/lock/vipctl-guard.lock"

int vipctl_guard_lock(void)
{
	int fd = open(GUARD_LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		fd = open("/run/vipctl-guard.lock",
			  O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

int vipctl_guard_wanted(const struct vip_vec *frontends,
			struct vip_guard_set *s)
{
	size_t i;

	for (i = 0; i < frontends->n; i++) {
		const struct vip_frontend *fe = vip_vec_at(frontends, i);
		int err;

		if (!fe->vip.family)
			continue;
		err = vip_guard_set_add(s, &fe->vip);
		if (err)
			return err;
	}
	return 0;
}

/* The VIPs of the kernel's frontends now. 0, or -1 with e set. */
static int wanted_now(struct vip_nl *h, struct vip_guard_set *s,
		      struct vip_err *e)
{
	struct vip_config cfg;
	int err;

	vip_config_init(&cfg);
	err = vip_fetch(h, FETCH_FRONTENDS, NULL, &cfg);
	if (err)
		vip_errf(e, "cannot read the frontends: %s",
			 h->msg[0] ? h->msg : strerror(-err));
	else if (vipctl_guard_wanted(&cfg.frontends, s))
		err = vip_errf(e, "%s", strerror(ENOMEM));
	vip_config_free(&cfg);
	return err ? -1 : 0;
}

/* Re-derives the guard. Returns the status; e says why when not OK. */
static enum vip_guard_status follow(struct vip_nl *h, struct vip_guard_set *s,
				    struct vip_err *e)
{
	if (wanted_now(h, s, e))
		return VIP_GUARD_FAILED;
	return vip_guard_apply(s, e);
}

int vipctl_guard_follow(struct vip_nl *h, const char *what)
{
	struct vip_guard_set s;
	enum vip_guard_status st;
	struct vip_err e;
	char msg[700];
	int rc = 0;

	vip_guard_set_init(&s);
	st = follow(h, &s, &e);
	if (st == VIP_GUARD_UNAVAILABLE) {
		snprintf(msg, sizeof(msg),
			 "%s, but the VIP guard is not installed (%s): traffic to other ports and protocols of a VIP is not dropped",
			 what, e.msg);
		say("warning: ", msg);
	} else if (st == VIP_GUARD_FAILED) {
		snprintf(msg, sizeof(msg),
			 "%s, but the VIP guard (table inet %s) was not updated: %s; run \"vipctl guard sync\"",
			 what, VIP_GUARD_TABLE, e.msg);
		say("", msg);
		rc = 1;
	}
	vip_guard_set_free(&s);
	return rc;
}

static void json_vips(struct vip_json *j, const char *key,
		      const struct vip_guard_set *s)
{
	char a[VIP_ADDRSTRLEN];
	struct vip_addr v;
	size_t i;

	vip_json_key(j, key);
	vip_json_arr_open(j);
	for (i = 0; i < vip_guard_set_count(s); i++) {
		vip_guard_set_at(s, i, &v);
		vip_json_str(j, vip_addr_str(&v, a));
	}
	vip_json_arr_close(j);
}

static void human_vips(FILE *f, const struct vip_guard_set *s)
{
	char a[VIP_ADDRSTRLEN];
	struct vip_addr v;
	size_t i;

	for (i = 0; i < vip_guard_set_count(s); i++) {
		vip_guard_set_at(s, i, &v);
		fprintf(f, " %s", vip_addr_str(&v, a));
	}
}

bool vipctl_guard_holds(const struct vip_addr *addr)
{
	struct vip_guard_state st;
	struct vip_err e;
	struct vip_addr v;
	bool found = false;
	size_t i;

	vip_guard_state_init(&st);
	if (!vip_guard_read(&st, false, &e) && st.present)
		for (i = 0; i < vip_guard_set_count(&st.set) && !found; i++) {
			vip_guard_set_at(&st.set, i, &v);
			found = vip_addr_equal(&v, addr);
		}
	vip_guard_state_free(&st);
	return found;
}

int vipctl_guard_sync(struct vip_nl *h, bool json)
{
	struct vip_guard_set s;
	enum vip_guard_status st;
	struct vip_err e;
	int rc = 0;

	vip_guard_set_init(&s);
	st = follow(h, &s, &e);
	if (st != VIP_GUARD_OK) {
		char msg[700];

		snprintf(msg, sizeof(msg), "guard sync: %s%s", e.msg,
			 st == VIP_GUARD_UNAVAILABLE ?
			 " (nf_tables is not available: no VIP guard)" : "");
		say("", msg);
		rc = 1;
	} else if (json) {
		struct vip_json j;

		vip_json_init(&j, stdout);
		vip_json_obj_open(&j);
		vip_json_kstr(&j, "table", "inet " VIP_GUARD_TABLE);
		vip_json_key(&j, "present");
		vip_json_bool(&j, vip_guard_set_count(&s) > 0);
		json_vips(&j, "vips", &s);
		vip_json_obj_close(&j);
		fputc('\n', stdout);
	} else if (vip_guard_set_count(&s)) {
		printf("guard: table inet %s drops what no frontend handles for",
		       VIP_GUARD_TABLE);
		human_vips(stdout, &s);
		putchar('\n');
	} else {
		printf("guard: no frontends, no table inet %s\n",
		       VIP_GUARD_TABLE);
	}
	vip_guard_set_free(&s);
	return rc;
}

/* a minus b, as a set. 0 or -ENOMEM. */
static int set_minus(const struct vip_guard_set *a,
		     const struct vip_guard_set *b, struct vip_guard_set *out)
{
	struct vip_addr v, w;
	size_t i, j;
	int err = 0;

	for (i = 0; !err && i < vip_guard_set_count(a); i++) {
		bool found = false;

		vip_guard_set_at(a, i, &v);
		for (j = 0; j < vip_guard_set_count(b) && !found; j++) {
			vip_guard_set_at(b, j, &w);
			found = vip_addr_equal(&v, &w);
		}
		if (!found)
			err = vip_guard_set_add(out, &v);
	}
	return err;
}

void vipctl_guard_print(FILE *f, bool json, const struct vip_guard_state *st,
			const struct vip_guard_set *want)
{
	struct vip_guard_set missing, extra;
	bool in_sync;

	vip_guard_set_init(&missing);
	vip_guard_set_init(&extra);
	set_minus(want, &st->set, &missing);
	set_minus(&st->set, want, &extra);
	in_sync = !vip_guard_set_count(&missing) &&
		  !vip_guard_set_count(&extra) &&
		  st->present == (vip_guard_set_count(want) > 0) &&
		  (!st->present || st->has_counter);

	if (json) {
		struct vip_json j;

		vip_json_init(&j, f);
		vip_json_obj_open(&j);
		vip_json_kstr(&j, "table", "inet " VIP_GUARD_TABLE);
		vip_json_key(&j, "present");
		vip_json_bool(&j, st->present);
		json_vips(&j, "vips", &st->set);
		vip_json_key(&j, "drops");
		if (st->has_counter) {
			vip_json_obj_open(&j);
			vip_json_ku64(&j, "packets", st->packets);
			vip_json_ku64(&j, "bytes", st->bytes);
			vip_json_obj_close(&j);
		} else {
			vip_json_null(&j);
		}
		vip_json_key(&j, "in_sync");
		vip_json_bool(&j, in_sync);
		json_vips(&j, "missing", &missing);
		json_vips(&j, "extra", &extra);
		vip_json_obj_close(&j);
		fputc('\n', f);
		goto out;
	}

	fprintf(f, "table inet %s: %s\n", VIP_GUARD_TABLE,
		st->present ? "present" : "absent");
	if (st->present) {
		fputs("vips:", f);
		human_vips(f, &st->set);
		fputc('\n', f);
		if (st->has_counter)
			fprintf(f, "drops: %" PRIu64 " packets, %" PRIu64 " bytes\n",
				st->packets, st->bytes);
		else
			fputs("drops: no counter\n", f);
	}
	if (in_sync) {
		fputs("in sync with the frontends\n", f);
		goto out;
	}
	fputs("out of sync with the frontends:", f);
	if (vip_guard_set_count(&missing)) {
		fputs(" missing", f);
		human_vips(f, &missing);
	}
	if (vip_guard_set_count(&extra)) {
		fputs(" extra", f);
		human_vips(f, &extra);
	}
	if (st->present && !st->has_counter)
		fputs(" no counter", f);
	if (!vip_guard_set_count(&missing) && !vip_guard_set_count(&extra) &&
	    st->present && !vip_guard_set_count(want))
		fputs(" no frontends but the table is there", f);
	fputs(" (run \"vipctl guard sync\")\n", f);
out:
	vip_guard_set_free(&missing);
	vip_guard_set_free(&extra);
}

int vipctl_guard_show(struct vip_nl *h, bool json)
{
	struct vip_guard_state st;
	struct vip_guard_set want;
	struct vip_err e;
	int rc = 0;

	vip_guard_state_init(&st);
	vip_guard_set_init(&want);
	if (wanted_now(h, &want, &e) || vip_guard_read(&st, false, &e)) {
		say("guard show: ", e.msg);
		rc = 1;
	} else {
		vipctl_guard_print(stdout, json, &st, &want);
	}
	vip_guard_set_free(&want);
	vip_guard_state_free(&st);
	return rc;
}

// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"

int vip_netns_enter(const char *name, struct vip_err *e)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(name, '/'))
		vip_strlcpy(path, name, sizeof(path));
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vip_errf(e, "cannot open network namespace \"%s\": %s",
				name, strerror(errno));
	if (setns(fd, CLONE_NEWNET) < 0) {
		int err = errno;

		close(fd);
		return vip_errf(e, "cannot enter network namespace \"%s\": %s",
				name, strerror(err));
	}
	close(fd);
	return 0;
}

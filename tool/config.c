// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration as plain arrays (struct vip_config, fetch.h): apart
 * from fetch.c so that vipprobe-nokernel, which fills it without the
 * kernel, shares it too.
 */
#include <string.h>

#include "fetch.h"

void vip_config_init(struct vip_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	vip_vec_init(&cfg->frontends, sizeof(struct vip_frontend));
	vip_vec_init(&cfg->pools, sizeof(struct vip_pool));
	vip_vec_init(&cfg->backends, sizeof(struct vip_backend));
}

void vip_config_free(struct vip_config *cfg)
{
	vip_vec_free(&cfg->frontends);
	vip_vec_free(&cfg->pools);
	vip_vec_free(&cfg->backends);
}

/*
 * svl_jansson.h - the event calls that take or give jansson values
 * (json_t), for programs that already parse JSON with jansson.
 *
 * Not part of the umbrella header: svcledger.h and the headers it
 * includes speak JSON only as text (svl_event_from_json_text,
 * svl_event_to_json_text, svl_event_input_json), so an embedder needs no
 * JSON library. Include this one (after <jansson.h>) to hand the library
 * parsed values instead; it links against the same libsvcledger.
 */
#ifndef SVL_JANSSON_H
#define SVL_JANSSON_H

#include <jansson.h>

#include "svl_events.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * svl_event_from_json - the canonical msgpack payload (current version) of
 * a JSON object, validated on the way (same errors as validation; times
 * may be integers of UTC ms or ISO-8601 strings with an offset). `payload`
 * is borrowed. Returns SVL_OK, SVL_EINVAL, SVL_ENOTFOUND, SVL_ELIMIT.
 */
SVL_API int svl_event_from_json(uint8_t *out, size_t cap, size_t *out_len,
				uint32_t type, const json_t *payload,
				svl_event_error *err);

/*
 * svl_event_to_json - the payload as a JSON object in the current layout
 * (fields in schema order, times as integer ms). *out is a new reference
 * the caller owns (json_decref). Returns SVL_OK, SVL_ENOTFOUND, SVL_EINVAL
 * (bad version), SVL_ECORRUPT (bytes do not decode), SVL_ENOMEM.
 */
SVL_API int svl_event_to_json(json_t **out, uint32_t type,
			      uint32_t schema_version, const uint8_t *payload,
			      size_t len, svl_event_error *err);

/* svl_event_input_jsont - svl_event_input_json (svl_events.h) from a
 * parsed JSON object (borrowed). */
SVL_API int svl_event_input_jsont(svl_event_in *out, svl_event_arena *arena,
				  const json_t *obj,
				  svl_event_error *err);

#ifdef __cplusplus
}
#endif
#endif /* SVL_JANSSON_H */

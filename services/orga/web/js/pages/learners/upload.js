// pages/learners/upload.js - sends a SIECLE file as the request body
// (not JSON) with XMLHttpRequest, for its upload progress events; same
// session cookie and X-CSRF-Token as api.js, errors as ApiError.

import { ApiError, fallbackMessage } from "../../api.js";
import { loadMe } from "../../session.js";

// Messages for the refusals the server may send without a body of ours.
const FALLBACK = {
	413: "Ce fichier est trop volumineux pour être importé.",
	409: "Un import est déjà en cours pour cet établissement. " +
	    "Attendez qu'il se termine.",
	403: "Seuls les administrateurs de l'établissement peuvent importer " +
	    "la liste des élèves.",
};

// fileKind returns "zip" or "xml" from the file's name, or null when the
// name ends otherwise.
export function fileKind(file) {
	const name = String(file && file.name || "").toLowerCase();
	if (name.endsWith(".zip"))
		return "zip";
	if (name.endsWith(".xml"))
		return "xml";
	return null;
}

function errorOf(xhr) {
	let body = null;
	const type = xhr.getResponseHeader("Content-Type") || "";
	if (type.includes("application/json")) {
		try {
			body = JSON.parse(xhr.responseText);
		} catch (e) {
			body = null;
		}
	}
	const main = body && typeof body.error === "object" && body.error ?
	    body.error : {};
	const code = main.code || (xhr.status === 401 ? "UNAUTHENTICATED" :
	    "INTERNAL");
	const list = Array.isArray(body && body.errors) ? body.errors : [];
	const errors = list.map((e) => ({
		field: e.field || null,
		code: e.code || code,
		message: e.message || fallbackMessage(e.code || code),
	}));
	return new ApiError(xhr.status, code,
	    main.message || FALLBACK[xhr.status], main.field, errors);
}

function sendOnce(path, file, token, onProgress, signal) {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open("POST", path);
		xhr.setRequestHeader("Accept", "application/json");
		xhr.setRequestHeader("Content-Type", fileKind(file) === "zip" ?
		    "application/zip" : "application/xml");
		if (token)
			xhr.setRequestHeader("X-CSRF-Token", token);
		xhr.upload.addEventListener("progress", (event) => {
			if (event.lengthComputable)
				onProgress(event.loaded, event.total);
		});
		xhr.addEventListener("load", () => {
			if (xhr.status >= 200 && xhr.status < 300) {
				try {
					resolve(JSON.parse(xhr.responseText));
				} catch (e) {
					reject(new ApiError(xhr.status, "INTERNAL"));
				}
				return;
			}
			reject(errorOf(xhr));
		});
		xhr.addEventListener("error",
		    () => reject(new ApiError(0, "NETWORK")));
		xhr.addEventListener("abort",
		    () => reject(new ApiError(0, "ABORTED",
			"L'envoi du fichier a été interrompu.")));
		if (signal)
			signal.addEventListener("abort", () => xhr.abort());
		xhr.send(file);
	});
}

// uploadFile posts file to path and resolves with the 202 job. onProgress
// (loaded, total) follows the upload; signal (AbortSignal) stops it. A
// refusal for a stale CSRF token is retried once with a fresh one.
export async function uploadFile(path, file, onProgress, signal) {
	const me = await loadMe();
	try {
		return await sendOnce(path, file, me && me.csrfToken, onProgress,
		    signal);
	} catch (e) {
		if (e.status !== 403 || !/CSRF/i.test(e.code) ||
		    (signal && signal.aborted))
			throw e;
		const fresh = await loadMe(true);
		return sendOnce(path, file, fresh && fresh.csrfToken, onProgress,
		    signal);
	}
}

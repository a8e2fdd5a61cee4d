// app.js - entry point: the route table of the whole UI.

import { start } from "./router.js";
import campaigns, { campaignPage } from "./pages/campaigns.js";
import documentation from "./pages/documentation.js";
import homePage from "./pages/home.js";
import joinPage from "./pages/join.js";
import learners from "./pages/learners.js";
import { loginPage, signupPage } from "./pages/login.js";
import { errorPage, notFoundPage } from "./pages/missing.js";
import { section, spaceHome } from "./pages/space.js";
import { codePage, landingPage } from "./pages/student/code.js";
import studentJoinPage from "./pages/student/join.js";
import team from "./pages/team.js";
import termsPage from "./pages/terms.js";

const ORG = "/organisations/([0-9]+)";

const ROUTES = [
	[/^\/$/, homePage],
	[/^\/rejoindre$/, joinPage],
	[/^\/cgu$/, termsPage],
	[/^\/connexion$/, loginPage],
	[/^\/inscription$/, signupPage],
	[/^\/campagnes$/, codePage],
	[/^\/campagnes\/([A-Za-z0-9]+)$/, landingPage],
	[/^\/campagnes\/([A-Za-z0-9]+)\/rejoindre$/, studentJoinPage],
	[new RegExp(`^${ORG}$`), spaceHome],
	[new RegExp(`^${ORG}/campagnes$`), section("campagnes", campaigns)],
	[new RegExp(`^${ORG}/campagnes/([0-9]+)$`),
	    section("campagnes", campaignPage)],
	[new RegExp(`^${ORG}/equipe$`), section("equipe", team)],
	[new RegExp(`^${ORG}/eleves$`), section("eleves", learners)],
	[new RegExp(`^${ORG}/documentation$`),
	    section("documentation", documentation)],
];

start(ROUTES, notFoundPage, errorPage);

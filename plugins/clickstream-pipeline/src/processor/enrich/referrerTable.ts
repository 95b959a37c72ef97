/**
 * The default referrer table: which site a referrer is, and what kind (Search, Social,
 * Shopping, Video, Referral), with the query parameters that carry a search engine's terms.
 *
 * These are the facts of the reference solution's released default table
 * (`traffic_source_category_rule_v1`, 890 entries; Clickstream Analytics on AWS, commit
 * 15824f99747425b69854c378260137f4d64d85f0), so that projects moving from it get the same
 * source names. One entry a line: the key a referrer is looked up by (a host, or a host and a
 * path), the source name, the category, and the search-term parameters (comma-separated).
 */
const TABLE = `
1.cz	1.cz	Search	q
360.cn	360	Search	
43things.com	43things	Social	
51.com	51	Social	
5ch.net	5ch	Social	
aax-us-east.amazon-adsystem.com	aax-us-east.amazon-adsystem	Shopping	
aax.amazon-adsystem.com	aax.amazon-adsystem	Shopping	
abcsok.no	ABCsøk	Search	q
academia.edu	academia	Social	
activerain.com	activerain	Social	
activeworlds.com	activeworlds	Social	
addthis.com	addthis	Social	
airg.ca	airg	Social	
alexa.com	Alexa	Search	q
alibaba.com	alibaba	Shopping	
alice.com	alice	Search	
all.by	All.by	Search	query
allnurses.com	allnurses	Social	
allrecipes.com	allrecipes	Social	
alohafind.com	AlohaFind	Search	q
altavista.com	AltaVista	Search	q
altavista.de	AltaVista	Search	q
altavista.fr	AltaVista	Search	q
alumniclass.com	alumniclass	Social	
amazon.co.uk	amazon	Shopping	
amazon.com	amazon	Shopping	
ameba.jp	ameba	Social	
ameblo.jp	ameblo	Social	
americantowns.com	americantowns	Social	
amp.reddit.com	amp.reddit	Social	
ancestry.com	ancestry	Social	
anobii.com	anobii	Social	
answerbag.com	answerbag	Social	
answers.yahoo.com	answers.yahoo	Social	
aol.com	aol	Search	
aolanswers.com	aolanswers	Social	
apps.facebook.com	apps.facebook	Social	
apps.shopify.com	apps.shopify	Shopping	
ar.pinterest.com	ar.pinterest	Social	
ar.search.yahoo.com	ar.search.yahoo	Search	
ar.zapmeta.com	Zapmeta	Search	q,query
arama.com	Arama	Search	q
ariadna.elmundo.es	El Mundo	Search	q
artstation.com	artstation	Social	
ask.com	Ask	Search	ask,q,searchfor
askubuntu.com	askubuntu	Social	
asmallworld.com	asmallworld	Social	
at.search.yahoo.com	at.search.yahoo	Search	
athlinks.com	athlinks	Social	
au.search.yahoo.com	au.search.yahoo	Search	
au.zapmeta.com	Zapmeta	Search	q,query
avg.com	avg	Search	
avira.search.ask.com	Ask	Search	ask,q,searchfor
away.vk.com	away.vk	Social	
awe.sm	awe	Social	
b.hatena.ne.jp	b.hatena	Social	
baby-gaga.com	baby-gaga	Social	
babyblog.ru	babyblog	Social	
badoo.com	Badoo	Social	
baidu.com	Baidu	Search	kw,wd,word
be-fr.altavista.com	AltaVista	Search	q
be-nl.altavista.com	AltaVista	Search	q
bebo.com	Bebo	Social	
beforeitsnews.com	beforeitsnews	Social	
bharatstudent.com	bharatstudent	Social	
biglobe.co.jp	biglobe	Search	
biglobe.ne.jp	biglobe	Search	
biip.no	biip	Social	
bing.com	Bing	Search	q
bing.com/images/search	Bing Images	Search	q
biswap.org	biswap	Social	
bit.ly	bit	Social	
bitcoinhackers.org	Mastodon	Social	
blackcareernetwork.com	blackcareernetwork	Social	
blackplanet.com	blackplanet	Social	
blip.fm	blip	Social	
blog.com	blog	Social	
blog.feedspot.com	blog.feedspot	Social	
blog.goo.ne.jp	blog.goo	Social	
blog.naver.com	blog.naver	Social	
blog.twitch.tv	blog.twitch	Video	
blog.yahoo.co.jp	blog.yahoo	Social	
blogg.no	blogg	Social	
bloggang.com	bloggang	Social	
blogger.com	blogger	Social	
blogher.com	blogher	Social	
bloglines.com	bloglines	Social	
blogs.com	blogs	Social	
blogsome.com	blogsome	Social	
blogspot.com	blogspot	Social	
blogster.com	blogster	Social	
blurtit.com	blurtit	Social	
bookmarks.yahoo.co.jp	bookmarks.yahoo	Social	
bookmarks.yahoo.com	bookmarks.yahoo	Social	
botsin.space	Mastodon	Social	
br.pinterest.com	br.pinterest	Social	
br.search.yahoo.com	br.search.yahoo	Search	
brightkite.com	brightkite	Social	
brizzly.com	brizzly	Social	
bsky.app	Bluesky	Social	
busca.uol.com.br	uol.com.br	Search	q
buscador.terra.cl	Terra	Search	query
buscador.terra.com.br	Terra	Search	query
buscador.terra.es	Terra	Search	query
business.facebook.com	business.facebook	Social	
buzzfeed.com	buzzfeed	Social	
buzznet.com	Buzznet	Social	
ca.search.yahoo.com	ca.search.yahoo	Search	
ca.zapmeta.com	Zapmeta	Search	q,query
cade.images.yahoo.com	Yahoo! Images	Search	p,va
cade.yahoo.com	Yahoo!	Search	p,q
cafe.naver.com	cafe.naver	Social	
cafemom.com	cafemom	Social	
camospace.com	camospace	Social	
canalblog.com	canalblog	Social	
care.com	care	Social	
care2.com	care2	Social	
caringbridge.org	caringbridge	Social	
catster.com	catster	Social	
cbnt.io	cbnt	Social	
cc.bingj.com	Bing	Search	q
cellufun.com	cellufun	Social	
centerblog.net	centerblog	Social	
centrum.cz	centrum	Search	
cgi.search.biglobe.ne.jp	Biglobe	Search	q
ch.search.yahoo.com	ch.search.yahoo	Search	
chaos.social	Mastodon	Social	
chat.zalo.me	chat.zalo	Social	
checkout.shopify.com	checkout.shopify	Shopping	
checkout.stripe.com	checkout.stripe	Shopping	
chegg.com	chegg	Social	
chicagonow.com	chicagonow	Social	
chiebukuro.yahoo.co.jp	chiebukuro.yahoo	Social	
cl.search.yahoo.com	cl.search.yahoo	Search	
claro-search.com	Claro Search	Search	q
class.hit-parade.com	Hit-Parade	Search	p7
classmates.com	Classmates.com	Social	
classquest.com	classquest	Social	
cn.bing.com	cn.bing	Search	
cnn.com	cnn	Search	
co.pinterest.com	co.pinterest	Social	
coccoc.com	Cốc Cốc	Search	query
cocolog-nifty.com	cocolog-nifty	Social	
copainsdavant.linternaute.com	copainsdavant.linternaute	Social	
couchsurfing.org	couchsurfing	Social	
cozycot.com	cozycot	Social	
cr.shopping.naver.com	cr.shopping.naver	Shopping	
cr2.shopping.naver.com	cr2.shopping.naver	Shopping	
crackle.com	crackle	Video	
cross.tv	cross	Social	
crunchyroll.com	crunchyroll	Social	
curiositystream.com	curiositystream	Video	
cybre.space	Mastodon	Social	
cyworld.com	cyworld	Social	
cz.pinterest.com	cz.pinterest	Social	
d.hatena.ne.jp	d.hatena	Social	
d.tube	d	Video	
daemon-search.com	Daemon search	Search	q
dailymotion.com	dailymotion	Video	
dailystrength.org	dailystrength	Social	
dashboard.twitch.tv	dashboard.twitch	Video	
daum.com	daum	Search	
daum.net	daum	Search	
de.search.yahoo.com	de.search.yahoo	Search	
deluxe.com	deluxe	Social	
deviantart.com	deviantart	Social	
dianping.com	dianping	Social	
digg.com	digg	Social	
diigo.com	diigo	Social	
discover.hubpages.com	discover.hubpages	Social	
disneyplus.com	disneyplus	Video	
disqus.com	disqus	Social	
dk.search.yahoo.com	dk.search.yahoo	Search	
dogpile.com	InfoSpace	Search	q
dogster.com	dogster	Social	
dol2day.com	dol2day	Social	
doostang.com	doostang	Social	
dopplr.com	dopplr	Social	
douban.com	Douban	Social	
draft.blogger.com	draft.blogger	Social	
draugiem.lv	draugiem	Social	
dribbble.com	Dribbble	Social	
drugs-forum.com	drugs-forum	Social	
duckduckgo.com	duckduckgo	Search	
dzone.com	dzone	Social	
ebay.co.uk	ebay	Shopping	
ebay.com	ebay	Shopping	
ebay.com.au	ebay	Shopping	
ebay.de	ebay	Shopping	
ecosia.org	ecosia	Search	
edublogs.org	edublogs	Social	
elftown.com	elftown	Social	
email.seznam.cz	email.seznam	Search	
encrypted.google.com	Google	Search	q
epicsearch.in	EpicSearch.in	Search	q
epicurious.com	epicurious	Social	
es.search.yahoo.com	es.search.yahoo	Search	
espanol.images.yahoo.com	Yahoo! Images	Search	p,va
espanol.search.yahoo.com	Yahoo!	Search	p,q
etsy.com	etsy	Shopping	
eu.startpage.com	StartPage	Search	query
everforo.com	everforo	Social	
exalead.com	exalead	Search	
exblog.jp	exblog	Social	
excite.com	excite	Search	
extole.com	extole	Social	
facebook.com	Facebook	Social	
faceparty.com	faceparty	Social	
fandom.com	fandom	Social	
fanpop.com	fanpop	Social	
fark.com	fark	Social	
fast.wistia.net	fast.wistia	Video	
fb.com	fb	Social	
fb.me	Facebook	Social	
fc2.com	fc2	Social	
feedspot.com	feedspot	Social	
feministing.com	feministing	Social	
fi.search.yahoo.com	fi.search.yahoo	Search	
fi.zapmeta.com	Zapmeta	Search	q,query
filmaffinity.com	filmaffinity	Social	
firmy.cz	firmy	Search	
flickr.com	flickr	Social	
flipboard.com	flipboard	Social	
flixster.com	Flixster	Social	
folkdirect.com	folkdirect	Social	
foodservice.com	foodservice	Social	
foretag.118700.se	118 700	Search	q
forums.androidcentral.com	forums.androidcentral	Social	
forums.crackberry.com	forums.crackberry	Social	
forums.imore.com	forums.imore	Social	
forums.nexopia.com	forums.nexopia	Social	
forums.webosnation.com	forums.webosnation	Social	
forums.wpcentral.com	forums.wpcentral	Social	
fosstodon.org	Mastodon	Social	
fotki.com	fotki	Social	
fotolog.com	Fotolog	Social	
foursquare.com	Foursquare	Social	
fr.search.yahoo.com	fr.search.yahoo	Search	
fr2.rpmfind.net	rpmfind	Search	query
free.facebook.com	free.facebook	Social	
friendfeed.com	friendfeed	Social	
friends.nico	Mastodon	Social	
friendsreunited.com	Friends Reunited	Social	
friendster.com	Friendster	Social	
fruehstueckstreff.org	fruehstueckstreff	Social	
fubar.com	fubar	Social	
gaiaonline.com	Gaia Online	Social	
gamerdna.com	gamerdna	Social	
gather.com	gather	Social	
geni.com	geni	Social	
getpocket.com	getpocket	Social	
gibiru.com	Gibiru	Search	q
github.com	GitHub	Social	
glassboard.com	glassboard	Social	
glassdoor.com	glassdoor	Social	
global.bing.com	Bing	Search	q
globo.com	globo	Search	
go.mail.ru	go.mail	Search	
godtube.com	godtube	Social	
gogole.com	Google	Search	q
goldenline.pl	goldenline	Social	
goldstar.com	goldstar	Social	
goo.gl	goo	Social	
gooblog.com	gooblog	Social	
goodreads.com	goodreads	Social	
google.com	Google	Search	
govloop.com	govloop	Social	
gowalla.com	gowalla	Social	
gree.jp	gree	Social	
groups.google.com	groups.google	Social	
gulli.com	gulli	Social	
gutefrage.net	gutefrage	Social	
habbo.com	Haboo	Social	
hatena.com	Hatena	Social	
help.hulu.com	help.hulu	Video	
help.netflix.com	help.netflix	Video	
hi5.com	hi5	Social	
hk.search.yahoo.com	hk.search.yahoo	Search	
hledani.tiscali.cz	Tiscali	Search	query
holmes.ge	Holmes	Search	q
hootsuite.com	hootsuite	Social	
houzz.com	houzz	Social	
hoverspot.com	hoverspot	Social	
hr.com	hr	Social	
hu.pinterest.com	hu.pinterest	Social	
hubculture.com	hubculture	Social	
hulu.com	hulu	Video	
hyves.net	hyves	Social	
hyves.nl	hyves	Social	
ibibo.com	ibibo	Social	
id.pinterest.com	id.pinterest	Social	
id.search.yahoo.com	id.search.yahoo	Search	
id.twitch.tv	id.twitch	Video	
identi.ca	identi.ca	Social	
ig.com	ig	Social	
image.search.yahoo.co.jp	Yahoo! Japan Images	Search	p
images.search.yahoo.com	Yahoo! Images	Search	p,va
images.yahoo.com	Yahoo! Images	Search	p,va
images.yandex.com	Yandex Images	Search	text
images.yandex.ru	Yandex Images	Search	text
imageshack.com	imageshack	Social	
imageshack.us	imageshack	Social	
imvu.com	imvu	Social	
in.pinterest.com	in.pinterest	Social	
in.search.yahoo.com	in.search.yahoo	Search	
incredimail.com	incredimail	Search	
insanejournal.com	insanejournal	Social	
instagram.com	instagram	Social	
instapaper.com	instapaper	Social	
int.search.tb.ask.com	Ask	Search	ask,q,searchfor
internations.org	internations	Social	
interpals.net	interpals	Social	
intherooms.com	intherooms	Social	
iq.com	iq	Video	
iqiyi.com	iqiyi	Video	
irc-galleria.net	irc-galleria	Social	
is.gd	is	Social	
isearch.babylon.com	InfoSpace	Search	q
isearch.glarysoft.com	InfoSpace	Search	q
it.search.yahoo.com	it.search.yahoo	Search	
italki.com	italki	Social	
jammerdirect.com	jammerdirect	Social	
jappy.com	jappy	Social	
jappy.de	jappy	Social	
jobs.netflix.com	jobs.netflix	Video	
jp.hao123.com	Yahoo! Japan	Search	query
justin.tv	justin	Video	
jyxo.1188.cz	Jyxo	Search	q
k9safesearch.com	K9 Safe Search	Search	q
kaboodle.com	kaboodle	Social	
kakao.com	kakao	Social	
kakaocorp.com	kakaocorp	Social	
kaneva.com	kaneva	Social	
kin.naver.com	kin.naver	Social	
knzk.me	Mastodon	Social	
kvasir.com	kvasir	Search	
kvasir.no	Kvasir	Search	q,search_word
kwzf.net	묻지마 검색	Search	search
l.facebook.com	Facebook	Social	
l.instagram.com	Instagram	Social	
l.messenger.com	l.messenger	Social	
l.threads.net	Threads	Social	
l.workplace.com	Workplace	Social	
laban.vn	Laban	Search	q
last.fm	last	Social	
lastfm.com.br	Last.fm	Social	
lastfm.com.tr	Last.fm	Social	
lastfm.de	Last.fm	Social	
lastfm.es	Last.fm	Social	
lastfm.fr	Last.fm	Social	
lastfm.it	Last.fm	Social	
lastfm.jp	Last.fm	Social	
lastfm.pl	Last.fm	Social	
lastfm.ru	Last.fm	Social	
lastfm.se	Last.fm	Social	
lemoteur.orange.fr	Orange	Search	kw
lens.google.com	lens.google	Search	
librarything.com	librarything	Social	
lifestream.aol.com	lifestream.aol	Social	
line.com	line	Social	
line.me	line	Social	
linkedin.com	linkedin	Social	
listal.com	listal	Social	
listings.altavista.com	AltaVista	Search	q
listography.com	listography	Social	
lite.qwant.com	lite.qwant	Search	
livedoor.com	livedoor	Social	
livejournal.com	livejournal	Social	
livejournal.ru	LiveJournal	Social	
lm.facebook.com	lm.facebook	Social	
lm.workplace.com	Workplace	Social	
lnkd.in	lnkd	Social	
lo.st	Lo.st	Search	x_query
login.live.com	Windows Live Spaces	Social	
login.tagged.com	Tagged	Social	
lycos.com	lycos	Search	
m.alibaba.com	m.alibaba	Shopping	
m.baidu.com	m.baidu	Search	
m.blog.naver.com	m.blog.naver	Social	
m.cafe.naver.com	m.cafe.naver	Social	
m.facebook.com	Facebook	Social	
m.kin.naver.com	m.kin.naver	Social	
m.naver.com	m.naver	Search	
m.search.naver.com	m.search.naver	Search	
m.shopping.naver.com	m.shopping.naver	Shopping	
m.sm.cn	sm.cn	Search	q
m.so.com	360search	Search	q
m.sogou.com	m.sogou	Search	
m.sp.sm.cn	sm.cn	Search	q
m.twitch.tv	m.twitch	Video	
m.vk.com	m.vk	Social	
m.yandex.com	Yandex	Search	text
m.yelp.com	m.yelp	Social	
m.youtube.com	m.youtube	Video	
mail.rambler.ru	mail.rambler	Search	
mail.yandex.ru	mail.yandex	Search	
malaysia.search.yahoo.com	Yahoo!	Search	p,q
mamot.fr	Mastodon	Social	
mastodon.art	Mastodon	Social	
mastodon.at	Mastodon	Social	
mastodon.cloud	Mastodon	Social	
mastodon.social	Mastodon	Social	
mastodon.xyz	Mastodon	Social	
mastodont.cat	Mastodon	Social	
mbga.jp	mbga	Social	
meetin.org	meetin	Social	
meetup.com	meetup	Social	
meinvz.net	meinvz	Social	
meneame.net	meneame	Social	
menuism.com	menuism	Social	
mercadolibre.com	mercadolibre	Shopping	
mercadolibre.com.ar	mercadolibre	Shopping	
mercadolibre.com.mx	mercadolibre	Shopping	
message.alibaba.com	message.alibaba	Shopping	
messages.google.com	messages.google	Social	
messages.yahoo.co.jp	messages.yahoo	Social	
messenger.com	messenger	Social	
metager.de	Metager	Search	eingabe
metager2.de	Metager2	Search	q
mix.com	mix	Social	
mixi.jp	mixi	Social	
mobile.facebook.com	mobile.facebook	Social	
mobile.virgilio.it	Virgilio	Search	qrs
mocospace.com	mocospace	Social	
moikrug.ru	MoiKrug.ru	Social	
mouthshut.com	mouthshut	Social	
movabletype.com	movabletype	Social	
msearch.shopping.naver.com	msearch.shopping.naver	Shopping	
msn.com	msn	Search	
msnbc.msn.com	Bing	Search	q
mstdn.io	Mastodon	Social	
mstdn.jp	Mastodon	Social	
mubi.com	mubi	Social	
music.youtube.com	music.youtube	Video	
my.daemon-search.com	Daemon search	Search	q
my.mail.ru	my.mail.ru	Social	
my.opera.com	my.opera	Social	
myanimelist.net	myanimelist	Social	
myheritage.com	myheritage	Social	
mylife.com	mylife	Social	
mylife.ru	MyLife	Social	
mymodernmet.com	mymodernmet	Social	
myspace.com	myspace	Social	
naver.com	naver	Search	
netflix.com	netflix	Video	
netlog.com	Netlog	Social	
netvibes.com	netvibes	Social	
news.baidu.com	Baidu	Search	kw,wd,word
news.google.com	Google News	Search	q
news.ycombinator.com	Hacker News	Social	
nexopia.com	nexopia	Social	
ngopost.org	ngopost	Social	
nicovideo.jp	nicovideo	Social	
nightlifelink.com	nightlifelink	Social	
ning.com	ning	Social	
nk.pl	Nasza-klasa.pl	Social	
nl.pinterest.com	nl.pinterest	Social	
nl.search.yahoo.com	nl.search.yahoo	Search	
no.search.yahoo.com	no.search.yahoo	Search	
no.shopping.net	no.shopping	Shopping	
no.zapmeta.com	Zapmeta	Search	q,query
nortonsafe.search.ask.com	Ask	Search	ask,q,searchfor
nova.rambler.ru	Rambler	Search	query,words
np.reddit.com	reddit	Social	
ntp.msn.com	ntp.msn	Search	
nz.search.yahoo.com	nz.search.yahoo	Search	
odnoklassniki.ru	odnoklassniki	Social	
odnoklassniki.ua	odnoklassniki	Social	
offer.alibaba.com	offer.alibaba	Shopping	
okwave.jp	okwave	Social	
old.reddit.com	old.reddit	Social	
one.cn.yahoo.com	Yahoo!	Search	p,q
one.walmart.com	one.walmart	Shopping	
onet.com	onet	Search	
onet.pl	onet	Search	
oneworldgroup.org	oneworldgroup	Social	
online.no	Online.no	Search	q
onstartups.com	onstartups	Social	
opendiary.com	opendiary	Social	
order.shopping.yahoo.co.jp	order.shopping.yahoo	Shopping	
orkut.com	Orkut	Social	
oshiete.goo.ne.jp	oshiete.goo	Social	
otsing.delfi.ee	Delfi EE	Search	q
out.reddit.com	out.reddit	Social	
over-blog.com	over-blog	Social	
overblog.com	overblog	Social	
paper.li	paper	Social	
partners.shopify.com	partners.shopify	Shopping	
partyflock.nl	partyflock	Social	
pawoo.net	Mastodon	Social	
pay.reddit.com	reddit	Social	
pe.search.yahoo.com	pe.search.yahoo	Search	
peepeth.com	Peepeth	Social	
pesquisa.sapo.pt	Sapo	Search	q
ph.search.yahoo.com	ph.search.yahoo	Search	
photobucket.com	photobucket	Social	
pinboard.com	pinboard	Social	
pingsta.com	pingsta	Social	
pinterest.at	pinterest	Social	
pinterest.ca	pinterest	Social	
pinterest.ch	pinterest	Social	
pinterest.cl	pinterest	Social	
pinterest.co.kr	pinterest	Social	
pinterest.co.uk	pinterest	Social	
pinterest.com	pinterest	Social	
pinterest.com.au	pinterest	Social	
pinterest.com.mx	pinterest	Social	
pinterest.de	pinterest	Social	
pinterest.dk	Pinterest	Social	
pinterest.es	pinterest	Social	
pinterest.fr	pinterest	Social	
pinterest.ie	Pinterest	Social	
pinterest.it	pinterest	Social	
pinterest.jp	pinterest	Social	
pinterest.nz	pinterest	Social	
pinterest.ph	pinterest	Social	
pinterest.pt	pinterest	Social	
pinterest.ru	pinterest	Social	
pinterest.se	pinterest	Social	
pixiv.net	pixiv	Social	
pl.pinterest.com	pl.pinterest	Social	
pl.search.yahoo.com	pl.search.yahoo	Search	
play.google.com	play.google	Search	
playahead.se	playahead	Social	
player.twitch.tv	player.twitch	Video	
player.vimeo.com	player.vimeo	Video	
plurk.com	plurk	Social	
plus.google.com	plus.google	Social	
pocket.co	pocket	Social	
posterous.com	posterous	Social	
pro.homeadvisor.com	pro.homeadvisor	Social	
pulse.yahoo.com	pulse.yahoo	Social	
qapacity.com	qapacity	Social	
qc.images.yahoo.com	Yahoo! Images	Search	p,va
qc.search.yahoo.com	Yahoo!	Search	p,q
quark.sm.cn	sm.cn	Search	q
quechup.com	quechup	Social	
quey.org	Mastodon	Social	
quora.com	quora	Social	
qwant.com	qwant	Search	
qzone.qq.com	qzone.qq	Social	
r.duckduckgo.com	DuckDuckGo	Search	q
rakuten.co.jp	rakuten	Search	
rakuten.com	rakuten	Search	
rambler.com	rambler	Search	
rambler.ru	rambler	Search	
ravelry.com	ravelry	Social	
recherche.aol.fr	AOL	Search	q,query
rechercher.aliceadsl.fr	Alice Adsl	Search	qs
reddit.com	reddit	Social	
redux.com	redux	Social	
renren.com	renren	Social	
req.hit-parade.com	Hit-Parade	Search	p7
researchgate.net	researchgate	Social	
results.searchlock.com	SearchLock	Search	q
reunion.com	reunion	Social	
reverbnation.com	reverbnation	Social	
ro-mastodon.puyo.jp	Mastodon	Social	
rpmfind.net	rpmfind	Search	query
rtl.de	rtl	Social	
ryze.com	ryze	Social	
s1-eu5.startpage.com	StartPage	Search	query
s12-eu5.startpage.com	StartPage	Search	query
s2-eu4.startpage.com	StartPage	Search	query
s3.amazonaws.com	s3.amazonaws	Shopping	
s5-eu5.startpage.com	StartPage	Search	query
s7-eu4.startpage.com	StartPage	Search	query
s7-eu5.startpage.com	StartPage	Search	query
safesearch.avira.com	Avira SafeSearch	Search	ask,q,searchfor
salespider.com	salespider	Social	
scoop.it	scoop	Social	
screenrant.com	screenrant	Social	
scribd.com	scribd	Social	
scvngr.com	scvngr	Social	
se.search.yahoo.com	se.search.yahoo	Search	
se.shopping.net	se.shopping	Shopping	
search-dyn.tiscali.it	Tiscali	Search	key,q
search.aol.co.uk	AOL	Search	q,query
search.aol.com	AOL	Search	q,query
search.ask.com	Ask	Search	ask,q,searchfor
search.auone.jp	auone	Search	q
search.avast.com	InfoSpace	Search	q
search.b1.org	InfoSpace	Search	q
search.babylon.com	Babylon	Search	q
search.brave.com	Brave	Search	q
search.centrum.cz	Centrum	Search	q
search.comcast.net	Comcast	Search	q
search.conduit.com	Conduit.com	Search	q
search.daum.net	Daum	Search	q
search.disconnect.me	DisconnectSearch	Search	
search.free.fr	Free	Search	q,qs
search.genieo.com	Genieo	Search	q
search.goo.ne.jp	goo	Search	mt
search.google.com	search.google	Search	
search.handycafe.com	InfoSpace	Search	q
search.iminent.com	InfoSpace	Search	q
search.lilo.org	Lilo	Search	q
search.lookseek.com	Lookseek	Search	q
search.lycos.com	Lycos	Search	query
search.myway.com	MyWebSearch	Search	searchfor
search.mywebsearch.com	MyWebSearch	Search	searchfor
search.nate.com	Nate	Search	q
search.naver.com	Naver	Search	query
search.nifty.com	Nifty	Search	q,text
search.seznam.cz	Seznam	Search	q
search.smt.docomo.ne.jp	search.smt.docomo	Search	
search.tb.ask.com	Ask	Search	ask,q,searchfor
search.tiscali.it	Tiscali	Search	key,q
search.ukr.net	search.ukr	Search	
search.www.ee	www värav	Search	query
search.yahoo.co.jp	Yahoo! Japan	Search	p,vp
search.yahoo.com	Yahoo!	Search	p,q
search.yam.com	Yam	Search	k
search.yippy.com	Yippy	Search	query
searchalot.com	Searchalot	Search	q
searchatlas.centrum.cz	Atlas	Search	q
searchlock.com	SearchLock	Search	q
searchservice.myspace.com	MySpace	Search	qry
searchya.com	InfoSpace	Search	q
secondlife.com	secondlife	Social	
secureurl.ukr.net	secureurl.ukr	Search	
serverfault.com	serverfault	Social	
seznam.cz	seznam	Search	
sharethis.com	sharethis	Social	
shop.app	shop	Shopping	
shopify.com	shopify	Shopping	
shopping.naver.com	shopping.naver	Shopping	
shopping.yahoo.co.jp	shopping.yahoo	Shopping	
shopping.yahoo.com	shopping.yahoo	Shopping	
shopzilla.com	shopzilla	Shopping	
shvoong.com	shvoong	Social	
simplycodes.com	simplycodes	Shopping	
sites.google.com	sites.google	Social	
skyfeed.app	Bluesky	Social	
skype.com	skype	Social	
skyrock.com	skyrock	Social	
slashdot.org	slashdot	Social	
slideshare.net	slideshare	Social	
smart.delfi.lv	Delfi lv	Search	q
smartnews.com	smartnews	Social	
snapchat.com	snapchat	Social	
so.360.cn	360search	Search	q
so.com	so	Search	
so.m.sm.cn	sm.cn	Search	q
social.com	social	Social	
social.tchncs.de	Mastodon	Social	
sociallife.com.br	sociallife	Social	
socialvibe.com	socialvibe	Social	
sogou.com	sogou	Search	
sp-search.auone.jp	auone	Search	q
sp-web.search.auone.jp	auone	Search	q
spoke.com	spoke	Social	
spruz.com	spruz	Social	
ssense.com	ssense	Social	
stackapps.com	stackapps	Social	
stackexchange.com	stackexchange	Social	
stackoverflow.com	stackoverflow	Social	
stardoll.com	stardoll	Social	
start.iplay.com	I-play	Search	q
startpage.com	StartPage	Search	query
startsiden.com	startsiden	Search	
startsiden.no	Startsiden	Search	q
stickam.com	stickam	Social	
store.shopping.yahoo.co.jp	store.shopping.yahoo	Shopping	
stripe.com	stripe	Shopping	
studivz.net	studivz	Social	
stumbleupon.com	StumbleUpon	Social	
suche.aol.de	AOL	Search	q,query
suche.freenet.de	Freenet	Search	keywords,query
suche.t-online.de	T-Online	Search	q
suche.web.de	Web.de	Search	q,su
suomi24.fi	suomi24	Social	
superuser.com	superuser	Social	
surfcanyon.com	Surf Canyon	Search	q
sweeva.com	sweeva	Social	
szukaj.onet.pl	Onet.pl	Search	qt
szukaj.wp.pl	Wirtualna Polska	Search	szukaj
t.cn	Weibo	Social	
t.co	Twitter	Social	
t.me	t	Social	
tagassistant.google.com	tagassistant.google.com	Referral	
tagged.com	tagged	Social	
taggedmail.com	taggedmail	Social	
talkbiznow.com	talkbiznow	Social	
taringa.net	taringa	Social	
techmeme.com	techmeme	Social	
technorati.com	Technorati	Search	q
ted.com	ted	Video	
tencent.com	tencent	Social	
terra.com	terra	Search	
th.search.yahoo.com	th.search.yahoo	Search	
threads.net	Threads	Social	
tieba.baidu.com	Baidu	Search	kw,wd,word
tiktok.com	TikTok	Social	
tinyurl.com	tinyurl	Social	
toolbox.com	toolbox	Social	
touch.facebook.com	touch.facebook	Social	
tr.pinterest.com	tr.pinterest	Social	
tr.search.yahoo.com	tr.search.yahoo	Search	
tr.zapmeta.com	Zapmeta	Search	q,query
travellerspoint.com	travellerspoint	Social	
tripadvisor.com	tripadvisor	Social	
trombi.com	trombi	Social	
trustpilot.com	trustpilot	Social	
tudou.com	tudou	Social	
tuenti.com	Tuenti	Social	
tumblr.com	tumblr	Social	
tut.by	tut	Search	
tw.search.yahoo.com	tw.search.yahoo	Search	
tweetdeck.com	tweetdeck	Social	
twitch.com	twitch	Video	
twitch.tv	twitch	Video	
twitter.com	twitter	Social	
twoo.com	twoo	Social	
typepad.com	typepad	Social	
uk.search.yahoo.com	uk.search.yahoo	Search	
uk.shopping.net	uk.shopping	Shopping	
uk.zapmeta.com	Zapmeta	Search	q,query
unblog.fr	unblog	Social	
urbanspoon.com	urbanspoon	Social	
us.search.yahoo.com	us.search.yahoo	Search	
ushareit.com	ushareit	Social	
ushi.cn	ushi	Social	
utreon.com	utreon	Video	
v2ex.com	V2EX	Social	
vampirefreaks.com	vampirefreaks	Social	
vampirerave.com	vampirerave	Social	
veoh.com	veoh	Video	
verden.abcsok.no	ABCsøk	Search	q
viadeo.com	Viadeo	Social	
viadeo.journaldunet.com	viadeo.journaldunet	Video	
videa.seznam.cz	Seznam Videa	Search	q
video.ibm.com	video.ibm	Social	
video.search.yahoo.co.jp	Yahoo! Japan Videos	Search	p
vimeo.com	vimeo	Video	
vis.social	Mastodon	Social	
vk.com	Vkontakte	Social	
vkontakte.ru	vkontakte	Social	
vn.search.yahoo.com	vn.search.yahoo	Search	
wakoopa.com	wakoopa	Social	
walmart.com	walmart	Shopping	
wap.sogou.com	wap.sogou	Search	
wattpad.com	wattpad	Social	
web.ask.com	Ask	Search	ask,q,searchfor
web.canoe.ca	Canoe.ca	Search	q
web.facebook.com	web.facebook	Social	
web.skype.com	web.skype	Social	
web.telegram.org	Telegram	Social	
web.volny.cz	Volny	Search	search
webben.118700.se	118 700	Search	q
webmaster.yandex.ru	webmaster.yandex	Search	
websearch.cs.com	Compuserve.com (Enhanced by Google)	Search	query
websearch.rakuten.co.jp	websearch.rakuten	Search	
webshots.com	webshots	Social	
wechat.com	wechat	Social	
weebly.com	weebly	Social	
weeworld.com	WeeWorld	Social	
weibo.com	Weibo	Social	
wer-weiss-was.de	wer-weiss-was	Social	
weread.com	weread	Social	
whatsapp.com	whatsapp	Social	
wiki.answers.com	wiki.answers	Social	
wikihow.com	wikihow	Social	
wikitravel.org	wikitravel	Social	
wistia.com	wistia	Video	
woot.com	woot	Social	
wordpress.com	wordpress	Social	
wordpress.org	wordpress	Social	
workplace.com	Workplace	Social	
www.118700.se	118 700	Search	q
www.1881.no	Opplysningen 1881	Search	query
www.acoon.de	Acoon	Search	begriff
www.allaverksamheter.se	Allaverksamheter	Search	what
www.alltheinternet.com	AllTheInternet	Search	q
www.alltheweb.com	AllTheWeb	Search	q
www.altavista.com	AltaVista	Search	q
www.arcor.de	Arcor	Search	keywords
www.ask.co.uk	Ask	Search	ask,q,searchfor
www.baidu.com	Baidu	Search	kw,wd,word
www.charter.net	Charter	Search	q
www.dasoertliche.de	DasOertliche	Search	kw
www.entireweb.com	Entireweb	Search	q
www.eurip.com	Eurip	Search	q
www.euroseek.com	Euroseek	Search	string
www.everyclick.com	Everyclick	Search	keyword
www.exalead.com	Exalead	Search	q
www.exalead.fr	Exalead	Search	q
www.excite.co.jp	Excite	Search	search
www.facebook.com	Facebook	Search	q
www.fixsuche.de	Fixsuche	Search	q
www.gibiru.com	Gibiru	Search	q
www.gnadenmeer.de	Gnadenmeer	Search	keyword
www.google.interia.pl	Interia	Search	q
www.goyellow.de	GoYellow.de	Search	mdn
www.gulesider.no	Gule Sider	Search	q
www.hit-parade.com	Hit-Parade	Search	p7
www.hooseek.com	Hooseek	Search	recherche
www.hotbot.com	Hotbot	Search	query
www.icq.com	ICQ	Search	q
www.ilse.nl	Ilse NL	Search	search_for
www.jungle-spider.de	Jungle Spider	Search	q
www.kataweb.it	Kataweb	Search	q
www.kvasir.no	Kvasir	Search	q,search_word
www.lemoteur.fr	Voila	Search	rdata
www.looksmart.com	Looksmart	Search	key
www.maailm.com	maailm.com	Search	tekst
www.mamma.com	Mamma	Search	query
www.metager.de	Metager	Search	eingabe
www.mister-wong.com	Mister Wong	Search	keywords
www.mister-wong.de	Mister Wong	Search	keywords
www.mojeek.com	Mojeek	Search	q
www.mozbot.co.uk	mozbot	Search	q
www.najdi.si	Najdi.si	Search	q
www.neti.ee	Neti	Search	query
www.only-search.com	OnlySearch	Search	q
www.paperball.de	Paperball	Search	q
www.picsearch.com	Picsearch	Search	q
www.plazoo.com	Plazoo	Search	q
www.qualigo.at	Qualigo	Search	q
www.qualigo.ch	Qualigo	Search	q
www.qualigo.de	Qualigo	Search	q
www.qualigo.nl	Qualigo	Search	q
www.qwant.com	Qwant	Search	q
www.riksdelen.se	Riksdelen	Search	what
www.search.ch	Search.ch	Search	q
www.search.com	Search.com	Search	q
www.searchcanvas.com	SearchCanvas	Search	q
www.searchy.co.uk	Searchy	Search	q
www.skynet.be	Skynet	Search	q
www.so-net.ne.jp	So-net	Search	query
www.so.com	360search	Search	q
www.sogou.com	Sogou	Search	query
www.soso.com	Soso	Search	w
www.startpage.com	StartPage	Search	query
www.startsiden.no	Startsiden	Search	q
www.suchmaschine.com	Suchmaschine.com	Search	suchstr
www.talktalk.co.uk	TalkTalk	Search	query
www.trouvez.com	Trouvez.com	Search	query
www.url.org	URL.ORGanzier	Search	q
www.vinden.nl	Vinden	Search	q
www.walhello.info	Walhello	Search	key
www.web.nl	Web.nl	Search	zoekwoord
www.weborama.fr	weborama	Search	query
www.witch.de	Witch	Search	search
www.woopie.jp	Woopie	Search	kw
www.x-recherche.com	X-Recherche	Search	mots
www.yandex.com	Yandex	Search	text
www.yasni.com	Yasni	Search	query
www.yasni.de	Yasni	Search	query
www.yatedo.com	Yatedo	Search	q
www.zapmeta.com	Zapmeta	Search	q,query
www.zoeken.nl	Zoeken	Search	q
www.zoznam.sk	Zoznam	Search	s
www.zxuso.com	Zxuso	Search	wd
www1.baidu.com	Baidu	Search	kw,wd,word
www1.dastelefonbuch.de	DasTelefonbuch	Search	kw
www2.dasoertliche.de	DasOertliche	Search	kw,ph
www2.inbox.com	Inbox	Search	q
www3.zoek.nl	Zoek	Search	q
wwwgoogle.com	Google	Search	q
xanga.com	xanga	Social	
xing.com	XING	Social	
ya.ru	Yandex	Search	text
yahoo-mbga.jp	yahoo-mbga	Social	
yahoo.co.jp	yahoo	Search	
yahoo.com	yahoo	Search	
yammer.com	yammer	Social	
yandex.by	yandex	Search	
yandex.com	Yandex	Search	text
yandex.com.tr	yandex	Search	
yandex.fr	yandex	Search	
yandex.kz	yandex	Search	
yandex.ru	Yandex	Search	text
yandex.ua	yandex	Search	
yandex.uz	yandex	Search	
yellowmap.de	Yellowmap	Search	
yelp.com	yelp	Social	
youku.com	youku	Video	
youroom.in	youroom	Social	
youtu.be	YouTube	Social	
youtube.com	youtube	Video	
yz.m.sm.cn	sm.cn	Search	q
za.pinterest.com	za.pinterest	Social	
zalo.com	zalo	Social	
zapmeta.com	Zapmeta	Search	q,query
zen.yandex.ru	zen.yandex	Search	
zhidao.baidu.com	Baidu	Search	kw,wd,word
zoo.gr	zoo	Social	
zoohoo.cz	Zoohoo	Search	q
zooppa.com	zooppa	Social	
`;

/**
 * A referrer-table entry: `domain` is a host (`m.facebook.com`) or a host and a path
 * (`bing.com/images/search`), matched exactly, also without `www.` and without a two-letter
 * country suffix (`google.co.uk` is looked up as `google.co` too). @public
 */
export interface SourceCategoryRule {
  domain: string;
  source: string;
  category: string;
  /** The query parameters that carry the search terms. */
  params?: string[];
}

/** The default referrer table, in its file order. */
export const defaultReferrerTable: SourceCategoryRule[] = TABLE.trim()
  .split('\n')
  .map(line => {
    const [domain, source, category, params] = line.split('\t');
    return params
      ? { domain, source, category, params: params.split(',') }
      : { domain, source, category };
  });

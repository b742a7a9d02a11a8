-- Leads whose number libphonenumber places only in its country (toll-free 800/833/.../888, 5XX, 600, 900,
-- some Caribbean mobiles, brand-new area codes such as 273 and 738): libphonenumber answers with every zone of
-- the country code (42 for +1, Pago Pago to Guam), and the import kept them all in time_zones. The hopper fill
-- calls such a lead only while the call window is open in every one of its zones: never. The import now treats
-- that answer as "zone unknown" (CountryTimeZones): the lead's state or ZIP code decides (UsRegions), else no
-- zone, and the seller's fallback zone applies. This repairs the leads imported before, and the staging tables
-- of imports not merged yet, the same way: time_zones NULL, time_zone from the state or ZIP code, else NULL.
--
-- The country-level lists are libphonenumber's (9.0.43) for every calling code whose zones keep different
-- clocks; the state and ZIP tables are UsRegions' (a state wins over a ZIP code; a ZIP code needs 5 characters).
CREATE FUNCTION pg_temp.v9_22_hint_zone(p_state text, p_postal_code text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
    WITH states (state, zone) AS (VALUES
        ('AL', 'America/Chicago'), ('ALABAMA', 'America/Chicago'), ('AK', 'America/Anchorage'),
        ('ALASKA', 'America/Anchorage'), ('AZ', 'America/Phoenix'), ('ARIZONA', 'America/Phoenix'),
        ('AR', 'America/Chicago'), ('ARKANSAS', 'America/Chicago'), ('CA', 'America/Los_Angeles'),
        ('CALIFORNIA', 'America/Los_Angeles'), ('CO', 'America/Denver'), ('COLORADO', 'America/Denver'),
        ('CT', 'America/New_York'), ('CONNECTICUT', 'America/New_York'), ('DE', 'America/New_York'),
        ('DELAWARE', 'America/New_York'), ('DC', 'America/New_York'),
        ('DISTRICT OF COLUMBIA', 'America/New_York'), ('FL', 'America/New_York'),
        ('FLORIDA', 'America/New_York'), ('GA', 'America/New_York'), ('GEORGIA', 'America/New_York'),
        ('HI', 'Pacific/Honolulu'), ('HAWAII', 'Pacific/Honolulu'), ('ID', 'America/Boise'),
        ('IDAHO', 'America/Boise'), ('IL', 'America/Chicago'), ('ILLINOIS', 'America/Chicago'),
        ('IN', 'America/Indiana/Indianapolis'), ('INDIANA', 'America/Indiana/Indianapolis'),
        ('IA', 'America/Chicago'), ('IOWA', 'America/Chicago'), ('KS', 'America/Chicago'),
        ('KANSAS', 'America/Chicago'), ('KY', 'America/New_York'), ('KENTUCKY', 'America/New_York'),
        ('LA', 'America/Chicago'), ('LOUISIANA', 'America/Chicago'), ('ME', 'America/New_York'),
        ('MAINE', 'America/New_York'), ('MD', 'America/New_York'), ('MARYLAND', 'America/New_York'),
        ('MA', 'America/New_York'), ('MASSACHUSETTS', 'America/New_York'), ('MI', 'America/Detroit'),
        ('MICHIGAN', 'America/Detroit'), ('MN', 'America/Chicago'), ('MINNESOTA', 'America/Chicago'),
        ('MS', 'America/Chicago'), ('MISSISSIPPI', 'America/Chicago'), ('MO', 'America/Chicago'),
        ('MISSOURI', 'America/Chicago'), ('MT', 'America/Denver'), ('MONTANA', 'America/Denver'),
        ('NE', 'America/Chicago'), ('NEBRASKA', 'America/Chicago'), ('NV', 'America/Los_Angeles'),
        ('NEVADA', 'America/Los_Angeles'), ('NH', 'America/New_York'), ('NEW HAMPSHIRE', 'America/New_York'),
        ('NJ', 'America/New_York'), ('NEW JERSEY', 'America/New_York'), ('NM', 'America/Denver'),
        ('NEW MEXICO', 'America/Denver'), ('NY', 'America/New_York'), ('NEW YORK', 'America/New_York'),
        ('NC', 'America/New_York'), ('NORTH CAROLINA', 'America/New_York'), ('ND', 'America/Chicago'),
        ('NORTH DAKOTA', 'America/Chicago'), ('OH', 'America/New_York'), ('OHIO', 'America/New_York'),
        ('OK', 'America/Chicago'), ('OKLAHOMA', 'America/Chicago'), ('OR', 'America/Los_Angeles'),
        ('OREGON', 'America/Los_Angeles'), ('PA', 'America/New_York'), ('PENNSYLVANIA', 'America/New_York'),
        ('RI', 'America/New_York'), ('RHODE ISLAND', 'America/New_York'), ('SC', 'America/New_York'),
        ('SOUTH CAROLINA', 'America/New_York'), ('SD', 'America/Chicago'), ('SOUTH DAKOTA', 'America/Chicago'),
        ('TN', 'America/Chicago'), ('TENNESSEE', 'America/Chicago'), ('TX', 'America/Chicago'),
        ('TEXAS', 'America/Chicago'), ('UT', 'America/Denver'), ('UTAH', 'America/Denver'),
        ('VT', 'America/New_York'), ('VERMONT', 'America/New_York'), ('VA', 'America/New_York'),
        ('VIRGINIA', 'America/New_York'), ('WA', 'America/Los_Angeles'), ('WASHINGTON', 'America/Los_Angeles'),
        ('WV', 'America/New_York'), ('WEST VIRGINIA', 'America/New_York'), ('WI', 'America/Chicago'),
        ('WISCONSIN', 'America/Chicago'), ('WY', 'America/Denver'), ('WYOMING', 'America/Denver'),
        ('PR', 'America/Puerto_Rico'), ('PUERTO RICO', 'America/Puerto_Rico'), ('GU', 'Pacific/Guam'),
        ('GUAM', 'Pacific/Guam'), ('VI', 'America/St_Thomas'), ('VIRGIN ISLANDS', 'America/St_Thomas')
    ), zip3 (zip_from, zip_to, state) AS (VALUES
        (5, 5, 'NY'), (6, 7, 'PR'), (8, 8, 'VI'), (9, 9, 'PR'), (10, 27, 'MA'), (28, 29, 'RI'), (30, 38, 'NH'),
        (39, 49, 'ME'), (50, 54, 'VT'), (55, 55, 'MA'), (56, 59, 'VT'), (60, 69, 'CT'), (70, 89, 'NJ'),
        (100, 149, 'NY'), (150, 196, 'PA'), (197, 199, 'DE'), (200, 205, 'DC'), (206, 219, 'MD'),
        (220, 246, 'VA'), (247, 268, 'WV'), (270, 289, 'NC'), (290, 299, 'SC'), (300, 319, 'GA'),
        (320, 349, 'FL'), (350, 369, 'AL'), (370, 385, 'TN'), (386, 397, 'MS'), (398, 399, 'GA'),
        (400, 427, 'KY'), (430, 459, 'OH'), (460, 479, 'IN'), (480, 499, 'MI'), (500, 528, 'IA'),
        (530, 549, 'WI'), (550, 567, 'MN'), (570, 577, 'SD'), (580, 588, 'ND'), (590, 599, 'MT'),
        (600, 629, 'IL'), (630, 658, 'MO'), (660, 679, 'KS'), (680, 693, 'NE'), (700, 714, 'LA'),
        (716, 729, 'AR'), (730, 732, 'OK'), (733, 733, 'TX'), (734, 749, 'OK'), (750, 799, 'TX'),
        (800, 816, 'CO'), (820, 831, 'WY'), (832, 838, 'ID'), (840, 847, 'UT'), (850, 865, 'AZ'),
        (870, 884, 'NM'), (885, 885, 'TX'), (889, 898, 'NV'), (900, 961, 'CA'), (967, 968, 'HI'),
        (969, 969, 'GU'), (970, 979, 'OR'), (980, 994, 'WA'), (995, 999, 'AK')
    )
    SELECT coalesce(
        (SELECT s.zone FROM states s WHERE s.state = upper(btrim(p_state))),
        (SELECT s.zone FROM zip3 z JOIN states s ON s.state = z.state
          WHERE p_postal_code ~ '^[0-9]{3}' AND length(p_postal_code) >= 5
            AND substr(p_postal_code, 1, 3)::int BETWEEN z.zip_from AND z.zip_to))
$fn$;

CREATE TEMPORARY TABLE v9_22_country_zones (zones text[] PRIMARY KEY) ON COMMIT DROP;
INSERT INTO v9_22_country_zones (zones) VALUES
        -- +1
        ('{America/Adak,America/Anchorage,America/Anguilla,America/Antigua,America/Barbados,America/Boise,America/Cayman,America/Chicago,America/Denver,America/Dominica,America/Edmonton,America/Fort_Nelson,America/Grand_Turk,America/Grenada,America/Halifax,America/Jamaica,America/Juneau,America/Los_Angeles,America/Lower_Princes,America/Montserrat,America/Nassau,America/New_York,America/North_Dakota/Center,America/Phoenix,America/Port_of_Spain,America/Puerto_Rico,America/Regina,America/Santo_Domingo,America/St_Johns,America/St_Kitts,America/St_Lucia,America/St_Thomas,America/St_Vincent,America/Toronto,America/Tortola,America/Vancouver,America/Winnipeg,Atlantic/Bermuda,Pacific/Guam,Pacific/Honolulu,Pacific/Pago_Pago,Pacific/Saipan}'),
        -- +7
        ('{Asia/Almaty,Asia/Anadyr,Asia/Aqtobe,Asia/Irkutsk,Asia/Kamchatka,Asia/Krasnoyarsk,Asia/Magadan,Asia/Novosibirsk,Asia/Omsk,Asia/Sakhalin,Asia/Vladivostok,Asia/Yakutsk,Asia/Yekaterinburg,Europe/Bucharest,Europe/Moscow,Europe/Samara}'),
        -- +34
        ('{Atlantic/Canary,Europe/Madrid}'),
        -- +52
        ('{America/Hermosillo,America/Mazatlan,America/Mexico_City,America/New_York,America/Tijuana}'),
        -- +55
        ('{America/Manaus,America/Noronha,America/Rio_Branco,America/Sao_Paulo}'),
        -- +56
        ('{America/Santiago,Pacific/Easter}'),
        -- +61
        ('{Australia/Adelaide,Australia/Brisbane,Australia/Eucla,Australia/Lord_Howe,Australia/Perth,Australia/Sydney,Indian/Christmas,Indian/Cocos}'),
        -- +62
        ('{Asia/Jakarta,Asia/Jayapura,Asia/Makassar}'),
        -- +64
        ('{Pacific/Auckland,Pacific/Chatham}'),
        -- +243
        ('{Africa/Kinshasa,Africa/Lubumbashi}'),
        -- +262
        ('{Indian/Mayotte,Indian/Reunion}'),
        -- +299
        ('{America/Godthab,America/Scoresbysund,America/Thule}'),
        -- +351
        ('{Atlantic/Azores,Europe/Lisbon}'),
        -- +593
        ('{America/Guayaquil,Pacific/Galapagos}'),
        -- +686
        ('{Pacific/Enderbury,Pacific/Kiritimati,Pacific/Tarawa}'),
        -- +689
        ('{Pacific/Gambier,Pacific/Marquesas,Pacific/Tahiti}'),
        -- +691
        ('{Pacific/Kosrae,Pacific/Ponape,Pacific/Truk}'),
        -- +976
        ('{Asia/Choibalsan,Asia/Hovd,Asia/Ulaanbaatar}');

UPDATE leads l SET time_zone = pg_temp.v9_22_hint_zone(l.state, l.postal_code), time_zones = NULL
 WHERE l.time_zones IS NOT NULL AND l.time_zones IN (SELECT zones FROM v9_22_country_zones);

DO $$
DECLARE
    v_stage regclass;
BEGIN
    FOR v_stage IN SELECT c.oid::regclass FROM pg_class c
                   WHERE c.relname ~ '^lead_import_stage_[0-9]+$' AND c.relkind = 'r'
                     AND c.relnamespace = 'public'::regnamespace LOOP
        EXECUTE format('UPDATE %s s SET time_zone = pg_temp.v9_22_hint_zone(s.state, s.postal_code), '
                       'time_zones = NULL WHERE s.time_zones IS NOT NULL '
                       'AND s.time_zones IN (SELECT zones FROM v9_22_country_zones)', v_stage);
    END LOOP;
END
$$;

DROP FUNCTION pg_temp.v9_22_hint_zone(text, text);

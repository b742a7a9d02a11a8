package io.capconduit.routing;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.system.InputChecks;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;
import io.capconduit.telephony.PjsipProvisioner;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Buyers and their PJSIP endpoints. Every change re-derives the endpoint in the same transaction, so
 * Asterisk never sees a client the database does not have, or the reverse. ADMIN changes; all roles read,
 * a seller without the SIP connection.
 */
@Service
class ClientService {

    private final ClientMapper clients;
    private final PjsipProvisioner pjsip;
    private final CampaignClientSettingMapper settings;

    ClientService(ClientMapper clients, PjsipProvisioner pjsip, CampaignClientSettingMapper settings) {
        this.clients = clients;
        this.pjsip = pjsip;
        this.settings = settings;
    }

    @PreAuthorize("isAuthenticated()")
    List<Client> findAll(Boolean active) {
        return active == null ? clients.findAll() : clients.findByActive(active);
    }

    @PreAuthorize("isAuthenticated()")
    Client find(long id) {
        return clients.findById(id).orElseThrow(() -> new NotFoundException("Client", id));
    }

    /**
     * Whether the caller reads clients' SIP connection (endpoint, mode, address, contacts, secret): staff and
     * admins do. How a buyer's SBC is reached is not a seller's business, like a carrier's trunk; a seller keeps
     * what its settings need: id, name, time zone, hours and state.
     */
    boolean showsConnection() {
        return SellerAccess.scope() == null;
    }

    /** One of the client's SIP connection fields, or null for a caller who does not read them. */
    <T> T connection(Client client, Function<Client, T> field) {
        return showsConnection() ? field.apply(client) : null;
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    Client create(ClientController.ClientInput input) {
        long id = clients.nextId();
        Client client = merge(new Client(id, null, "UTC", "client-" + id, Client.SipMode.STATIC, null, null, null, 1,
                true, null, null), input);
        pjsip.requireUnused("endpoint", client.endpoint());
        clients.insert(client);
        provision(client, input.secret());
        return find(id);
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    Client update(long id, ClientController.ClientInput input) {
        Client current = locked(id);
        Client client = merge(current, input);
        boolean moved = !current.endpoint().equals(client.endpoint());
        if (moved) {
            pjsip.requireUnused("endpoint", client.endpoint());
        }
        // its settings' cap windows move to the new zone: counted before their rows are locked (see restartWindows)
        List<CampaignClientSettingMapper.ZoneWindowCount> counted = current.timeZone().equals(client.timeZone())
                ? List.of() : settings.countWindowsInZone(id, client.timeZone());
        clients.update(client);
        restartWindows(id, counted);
        if (moved) {
            pjsip.remove(current.endpoint());
        }
        provision(client, input.secret());
        return find(id);
    }

    /**
     * The cap windows of a client's settings in its new time zone, counting the calls already answered in each: a
     * zone whose day starts later than the old one's rolled the count back to 0 mid-day, and the day's cap was
     * overshot. The settings are locked by now (the copy of the zone onto them); the calls answered since the count
     * are added.
     */
    private void restartWindows(long clientId, List<CampaignClientSettingMapper.ZoneWindowCount> counted) {
        if (counted.isEmpty()) {
            return;
        }
        Map<Long, CampaignClientSetting> locked = settings.findByClient(clientId).stream()
                .collect(Collectors.toMap(CampaignClientSetting::id, s -> s));
        for (CampaignClientSettingMapper.ZoneWindowCount count : counted) {
            CampaignClientSetting setting = locked.get(count.settingId());
            if (setting != null && setting.capPeriod() != CampaignClientSetting.CapPeriod.TOTAL) {
                settings.restartWindow(setting.id(), count.answered()
                        + CampaignClientSettingService.answeredSince(count.window(), setting), count.windowStart());
            }
        }
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    Client deactivate(long id) {
        return update(id, new ClientController.ClientInput(null, null, null, null, null, null, null, null, null, false));
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    long delete(long id) {
        Client client = locked(id);
        if (clients.isReferenced(id)) {
            throw new InvalidInputException("id", "client " + id + " has campaign settings or call logs; "
                    + "deactivate it instead");
        }
        pjsip.remove(client.endpoint());
        clients.delete(id);
        return id;
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    Client setSchedule(long clientId, List<ClientController.ScheduleHoursInput> hours) {
        locked(clientId);   // two replacements at once would otherwise leave the union of both
        List<ScheduleHours> rows = new ArrayList<>();
        for (int i = 0; i < hours.size(); i++) {
            rows.add(hours(clientId, "hours[" + i + "]", hours.get(i)));
        }
        refuseOverlaps(rows);
        clients.deleteSchedule(clientId);
        rows.forEach(clients::insertSchedule);
        return find(clientId);
    }

    /**
     * Two periods of one day that overlap (or repeat) are refused: the buyer is open in their union all the same,
     * but a schedule read back with 09:00-12:00 and 11:00-14:00 says the operator meant something else.
     */
    private static void refuseOverlaps(List<ScheduleHours> rows) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, rows.size()).boxed().toList());
        order.sort(Comparator.comparing((Integer i) -> rows.get(i).dayOfWeek()).thenComparing(i -> rows.get(i).openTime())
                .thenComparing(i -> i));
        for (int k = 1; k < order.size(); k++) {
            ScheduleHours before = rows.get(order.get(k - 1));
            ScheduleHours after = rows.get(order.get(k));
            if (before.dayOfWeek() == after.dayOfWeek() && after.openTime().isBefore(before.closeTime())) {
                int index = Math.max(order.get(k - 1), order.get(k));
                throw new InvalidInputException("hours[" + index + "]", "overlaps hours["
                        + Math.min(order.get(k - 1), order.get(k)) + "] on day " + after.dayOfWeek() + " ("
                        + before.openTime() + "-" + closeText(before.closeTime()) + " and " + after.openTime() + "-"
                        + closeText(after.closeTime()) + "); give each period of a day once");
            }
        }
    }

    private static String closeText(LocalTime close) {
        return close.equals(LocalTime.MAX) ? "24:00" : close.toString();
    }

    /** The client to change, locked: a mutation writes every column, so none may start from a stale row. */
    private Client locked(long id) {
        return clients.findByIdForUpdate(id).orElseThrow(() -> new NotFoundException("Client", id));
    }

    private static ScheduleHours hours(long clientId, String field, ClientController.ScheduleHoursInput in) {
        InputChecks.range(field + ".dayOfWeek", in.dayOfWeek(), 1, 7);
        LocalTime close;
        try {
            close = "24:00".equals(in.closeTime()) ? LocalTime.MAX : LocalTime.parse(in.closeTime());
        }
        catch (DateTimeParseException | NullPointerException ex) {
            throw new InvalidInputException(field + ".closeTime", "must be a time such as 18:00 or 24:00");
        }
        if (!in.openTime().isBefore(close)) {
            throw new InvalidInputException(field + ".closeTime", "must be after openTime");
        }
        return new ScheduleHours(clientId, in.dayOfWeek(), in.openTime(), close);
    }

    void provision(Client client, String secret) {
        if (secret != null) {
            pjsip.setSecret(client.endpoint(), secret);
        }
        if (!client.active()) {
            pjsip.disable(client.endpoint());
        }
        else if (client.sipMode() == Client.SipMode.STATIC) {
            pjsip.provision(PjsipProvisioner.staticClient(client.endpoint(), contact(client)));
        }
        else {
            pjsip.provision(PjsipProvisioner.registeringClient(client.endpoint(), client.maxContacts()));
        }
    }

    private static String contact(Client client) {
        String user = client.sipUser() == null ? "" : client.sipUser() + "@";
        String host = client.sipHost().contains(":") && !client.sipHost().startsWith("[")
                ? "[" + client.sipHost() + "]" : client.sipHost();
        return "sip:" + user + host + ":" + (client.sipPort() == null ? 5060 : client.sipPort());
    }

    private Client merge(Client current, ClientController.ClientInput in) {
        String name = InputChecks.name("name", InputChecks.or(in.name(), current.name()), 200);
        String endpoint = InputChecks.token("endpoint", InputChecks.or(in.endpoint(), current.endpoint()));
        if (clients.nameTaken(name, current.id())) {
            throw new InvalidInputException("name", "a client with this name exists already");
        }
        Client.SipMode mode = InputChecks.or(in.sipMode(), current.sipMode());
        String host = InputChecks.text(in.sipHost(), current.sipHost());
        Integer port = InputChecks.or(in.sipPort(), current.sipPort());
        String user = InputChecks.text(in.sipUser(), current.sipUser());
        if (mode == Client.SipMode.STATIC) {
            InputChecks.sipHost("sipHost", host);
            if (port != null) {
                InputChecks.range("sipPort", port, 1, 65535);
            }
            if (user != null && !user.matches("^[A-Za-z0-9_.+*#-]{1,64}$")) {
                throw new InvalidInputException("sipUser", "must be 1 to 64 characters of a SIP user part");
            }
        }
        else {
            host = null;
            port = null;
            user = null;
        }
        int maxContacts = InputChecks.range("maxContacts", InputChecks.or(in.maxContacts(), current.maxContacts()), 1, 100);
        return new Client(current.id(), name, InputChecks.timeZoneOr("timeZone", in.timeZone(), current.timeZone()),
                endpoint, mode, host, port, user, maxContacts,
                InputChecks.or(in.active(), current.active()), null, null);
    }
}

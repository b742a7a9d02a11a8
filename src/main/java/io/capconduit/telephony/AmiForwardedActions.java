package io.capconduit.telephony;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.asteriskjava.manager.action.CoreSettingsAction;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.CoreStatusAction;
import org.asteriskjava.manager.action.HangupAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.response.CoreSettingsResponse;
import org.asteriskjava.manager.response.CoreStatusResponse;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;

/**
 * The AMI actions one app instance may have another send for it (those call control sends: Hangup, SetVar,
 * Redirect, Originate; and those of a server's status: CoreSettings, CoreStatus, CoreShowChannels), as the fields
 * written to ami_forwarded_actions and read back there, and what of their answers travels back. Only the fields
 * these features use travel; an action of any other kind is never forwarded. None carries a secret, yet the fields
 * are never logged: a channel variable could.
 */
final class AmiForwardedActions {

    private AmiForwardedActions() {
    }

    static boolean forwards(ManagerAction action) {
        return action instanceof HangupAction || action instanceof SetVarAction || action instanceof RedirectAction
                || action instanceof OriginateAction || action instanceof CoreSettingsAction
                || action instanceof CoreStatusAction || action instanceof CoreShowChannelsAction;
    }

    static Map<String, Object> fields(ManagerAction action) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (action instanceof HangupAction hangup) {
            fields.put("channel", hangup.getChannel());
            fields.put("cause", hangup.getCause());
        }
        else if (action instanceof SetVarAction set) {
            fields.put("channel", set.getChannel());
            fields.put("variable", set.getVariable());
            fields.put("value", set.getValue());
        }
        else if (action instanceof RedirectAction redirect) {
            fields.put("channel", redirect.getChannel());
            fields.put("context", redirect.getContext());
            fields.put("exten", redirect.getExten());
            fields.put("priority", redirect.getPriority());
        }
        else if (action instanceof OriginateAction originate) {
            originateFields(originate, fields);
        }
        else if (!forwards(action)) {
            throw new IllegalArgumentException("AMI action " + action.getAction() + " is not forwarded");
        }
        return fields;
    }

    private static void originateFields(OriginateAction originate, Map<String, Object> fields) {
        fields.put("channel", originate.getChannel());
        fields.put("context", originate.getContext());
        fields.put("exten", originate.getExten());
        fields.put("priority", originate.getPriority());
        fields.put("timeout", originate.getTimeout());
        fields.put("async", originate.getAsync());
        fields.put("callerId", originate.getCallerId());
        fields.put("channelId", originate.getChannelId());
        fields.put("actionId", originate.getActionId());
        fields.put("variables", originate.getVariables());
    }

    /** The action {@link #fields} wrote, as the asking instance built it. */
    static ManagerAction action(String name, Map<String, Object> fields) {
        return switch (name) {
            case "Hangup" -> hangup(fields);
            case "SetVar" -> new SetVarAction(text(fields, "channel"), text(fields, "variable"), text(fields, "value"));
            case "Redirect" -> new RedirectAction(text(fields, "channel"), text(fields, "context"),
                    text(fields, "exten"), integer(fields, "priority"));
            case "Originate" -> originate(fields);
            case "CoreSettings" -> new CoreSettingsAction();
            case "CoreStatus" -> new CoreStatusAction();
            case "CoreShowChannels" -> new CoreShowChannelsAction();
            default -> throw new IllegalArgumentException("AMI action " + name + " is not forwarded");
        };
    }

    private static HangupAction hangup(Map<String, Object> fields) {
        Integer cause = integer(fields, "cause");
        return cause == null ? new HangupAction(text(fields, "channel"))
                : new HangupAction(text(fields, "channel"), cause);
    }

    @SuppressWarnings("unchecked")
    private static OriginateAction originate(Map<String, Object> fields) {
        OriginateAction originate = new OriginateAction();
        originate.setChannel(text(fields, "channel"));
        originate.setContext(text(fields, "context"));
        originate.setExten(text(fields, "exten"));
        originate.setPriority(integer(fields, "priority"));
        Number timeout = (Number) fields.get("timeout");
        originate.setTimeout(timeout == null ? null : timeout.longValue());
        originate.setAsync((Boolean) fields.get("async"));
        originate.setCallerId(text(fields, "callerId"));
        originate.setChannelId(text(fields, "channelId"));
        originate.setActionId(text(fields, "actionId"));
        Map<String, String> variables = (Map<String, String>) fields.get("variables");
        if (variables != null) {
            originate.setVariables(new LinkedHashMap<>(variables));
        }
        return originate;
    }

    private static String text(Map<String, Object> fields, String name) {
        return (String) fields.get(name);
    }

    private static Integer integer(Map<String, Object> fields, String name) {
        Number value = (Number) fields.get(name);
        return value == null ? null : value.intValue();
    }

    /** What of an answer travels back beyond its Response and Message: the figures a server's status shows. */
    static Map<String, Object> answer(ManagerResponse response, Collection<ResponseEvent> events) {
        Map<String, Object> answer = new LinkedHashMap<>();
        if (response instanceof CoreSettingsResponse settings) {
            answer.put("asteriskVersion", settings.getAsteriskVersion());
            answer.put("amiVersion", settings.getAmiVersion());
            answer.put("systemName", settings.getSystemName());
        }
        else if (response instanceof CoreStatusResponse status) {
            answer.put("startupDate", status.getCoreStartupDate());
            answer.put("startupTime", status.getCoreStartupTime());
            answer.put("reloadDate", status.getCoreReloadDate());
            answer.put("reloadTime", status.getCoreReloadTime());
            answer.put("currentCalls", status.getCoreCurrentCalls());
        }
        if (events != null) {
            answer.put("channels", events.stream().filter(CoreShowChannelEvent.class::isInstance)
                    .map(CoreShowChannelEvent.class::cast).map(channel -> {
                        Map<String, String> named = new LinkedHashMap<>();
                        named.put("channel", channel.getChannel());
                        named.put("uniqueid", channel.getUniqueid());
                        named.put("linkedid", channel.getLinkedid());
                        return named;
                    }).toList());
        }
        return answer;
    }

    /** The answer as the sending instance had it: its Response line, Message and {@link #answer} fields. */
    static ManagerResponse response(String action, String outcome, String message, Map<String, Object> answer) {
        ManagerResponse response;
        if ("Error".equalsIgnoreCase(outcome)) {
            response = new ManagerError();
        }
        else if ("CoreSettings".equals(action)) {
            CoreSettingsResponse settings = new CoreSettingsResponse();
            settings.setAsteriskVersion(text(answer, "asteriskVersion"));
            settings.setAmiVersion(text(answer, "amiVersion"));
            settings.setSystemName(text(answer, "systemName"));
            response = settings;
        }
        else if ("CoreStatus".equals(action)) {
            CoreStatusResponse status = new CoreStatusResponse();
            status.setCoreStartupDate(text(answer, "startupDate"));
            status.setCoreStartupTime(text(answer, "startupTime"));
            status.setCoreReloadDate(text(answer, "reloadDate"));
            status.setCoreReloadTime(text(answer, "reloadTime"));
            status.setCoreCurrentCalls(integer(answer, "currentCalls"));
            response = status;
        }
        else {
            response = new ManagerResponse();
        }
        response.setResponse(outcome);
        response.setMessage(message);
        return response;
    }

    /** The channels a forwarded CoreShowChannels listed, as events of the kind Asterisk sent. */
    @SuppressWarnings("unchecked")
    static List<ResponseEvent> channels(Map<String, Object> answer) {
        List<Map<String, String>> channels = (List<Map<String, String>>) answer.getOrDefault("channels", List.of());
        return channels.stream().map(named -> {
            CoreShowChannelEvent channel = new CoreShowChannelEvent(AmiForwardedActions.class);
            channel.setChannel(named.get("channel"));
            channel.setUniqueid(named.get("uniqueid"));
            channel.setLinkedid(named.get("linkedid"));
            return (ResponseEvent) channel;
        }).toList();
    }
}
